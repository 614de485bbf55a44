import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { officeMenu } from '../../../src/lib/office/office-pages';
import { enrollKioskByApi } from '../fixtures/device-api';
import { Office } from '../fixtures/office';
import { expect, test } from '../fixtures/test';
import { expectNoA11yViolations } from '../fixtures/axe';

/*
 * The office's surfaces (issue 13 §6): a device renamed and revoked only after a question, focus
 * on the next step after each, menus that list only what a role may open, a styled 403 with a
 * way back, and the printable demo card sheet with its jump links and true per-page count.
 */

const SHOTS = 'test-results';
const RUN = Date.now().toString(36).slice(-5);

async function screenshots(page: Page, name: string): Promise<void> {
	for (const [width, height] of [
		[1440, 900],
		[375, 667]
	] as const) {
		await page.setViewportSize({ width, height });
		await page.screenshot({ path: `${SHOTS}/office-${name}-${width}.png`, fullPage: true });
	}
	await page.setViewportSize({ width: 1280, height: 800 });
}

test('an admin renames one of two same-named devices and stops it only after saying yes', async ({
	office,
	mintEnrollCode,
	playwright,
	server
}) => {
	const sameName = `大堂屏幕${RUN}`;
	const request = await playwright.request.newContext({ baseURL: server.baseURL });
	const first = await enrollKioskByApi(request, await mintEnrollCode(), sameName);
	const second = await enrollKioskByApi(request, await mintEnrollCode(), sameName);
	await request.dispose();
	const row = (page: Page, deviceId: string) => page.locator(`tr[data-device-id="${deviceId}"]`);

	const page = await office.context.newPage();
	await page.goto('/admin/devices');
	await row(page, first.deviceId).getByRole('link', { name: '改名' }).click();
	const rename = page.getByTestId('device-rename');
	await expect(rename).toBeVisible();
	const name = rename.getByRole('textbox', { name: '新名称' });
	await expect(name).toBeFocused();
	await expect(name).toHaveValue(sameName);
	await screenshots(page, 'device-rename');
	await expectNoA11yViolations(page, 'office: devices rename');
	await name.fill(`  北门${sameName} `);
	await rename.getByRole('button', { name: '保存名称' }).click();
	await expect(page.getByRole('status')).toHaveText(`已改名为「北门${sameName}」`);
	await expect(page.getByRole('status')).toBeFocused();
	await expect(row(page, first.deviceId).locator('td').first()).toHaveText(`北门${sameName}`);

	// The other one may not take the same name: the form stays with what was typed.
	await row(page, second.deviceId).getByRole('link', { name: '改名' }).click();
	await page.getByTestId('device-rename').getByRole('textbox').fill(`北门${sameName}`);
	await page.getByRole('button', { name: '保存名称' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		`已有一台设备叫「北门${sameName}」，请换一个名称`
	);
	await expect(page.getByTestId('device-rename').getByRole('textbox')).toHaveValue(
		`北门${sameName}`
	);
	await expect(row(page, second.deviceId).locator('td').first()).toHaveText(sameName);

	// 停用 asks first; 取消 changes nothing.
	await page.goto('/admin/devices');
	await row(page, second.deviceId).getByRole('link', { name: '停用' }).click();
	const question = page.getByRole('heading', { name: `确定停用「${sameName}」吗？` });
	await expect(question).toBeFocused();
	await screenshots(page, 'device-revoke');
	await expectNoA11yViolations(page, 'office: devices revoke question');
	await page.getByTestId('device-revoke').getByRole('link', { name: '取消' }).click();
	await expect(question).toBeHidden();
	await expect(row(page, second.deviceId)).toContainText('正常');

	await row(page, second.deviceId).getByRole('link', { name: '停用' }).click();
	await page.getByRole('button', { name: '确定停用' }).click();
	await expect(page.getByRole('status')).toContainText('已停用这台设备');
	await expect(page.getByRole('status')).toBeFocused();
	await expect(row(page, second.deviceId)).toContainText('已停用');
	await expect(row(page, first.deviceId)).toContainText('正常');
	await page.close();
});

for (const account of [
	{ username: 'grid', role: 'gridWorker' },
	{ username: 'shop', role: 'shopkeeper' }
] as const) {
	test(`a ${account.role} sees only their pages in the menu and a styled 403 with a way back`, async ({
		browser,
		server
	}) => {
		const them = await Office.logIn(browser, server.baseURL, {
			username: account.username,
			password: 'demo1234'
		});
		const page = await them.context.newPage();
		await page.goto('/admin');
		const menu = page.getByRole('navigation', { name: '办公室菜单' }).getByRole('link');
		await expect(menu).toHaveText(officeMenu(account.role).map((item) => item.label));

		const response = await page.goto('/admin/devices');
		expect(response?.status()).toBe(403);
		await expect(page.getByRole('heading', { name: '没有权限' })).toBeVisible();
		await expect(menu).toHaveText(officeMenu(account.role).map((item) => item.label));
		await screenshots(page, `forbidden-${account.username}`);
		await expectNoA11yViolations(page, 'office: 403');
		await page.getByRole('link', { name: '回到办公室首页' }).click();
		await expect(page).toHaveURL(/\/admin$/);
		await them.close();
	});
}

test('the demo card sheet jumps to its staff and test cards and prints as many a page as it says', async ({
	page
}) => {
	await page.goto('/demo/cards');
	await page.setViewportSize({ width: 375, height: 667 });
	await page.screenshot({ path: `${SHOTS}/demo-cards-375.png` });
	await page.setViewportSize({ width: 1440, height: 900 });
	await page.screenshot({ path: `${SHOTS}/demo-cards-1440.png` });
	await page.getByRole('link', { name: /^测试卡/ }).click();
	await expect(page.getByRole('heading', { name: /^测试用/ })).toBeInViewport();
	await page.getByRole('link', { name: /^店员卡/ }).click();
	await expect(page.getByRole('heading', { name: /^店员卡/ })).toBeInViewport();

	const perPage = Number(
		/每页 (\d+) 张/.exec((await page.locator('main > header').textContent()) ?? '')?.[1]
	);
	expect(perPage).toBeGreaterThan(0);
	const count = (selector: string) => page.locator(`${selector} [data-credential]`).count();
	const sections = [
		await count('.resident-section'),
		await count('.staff-section'),
		await count('.test-section')
	];
	expect(sections.every((cards) => cards > 0)).toBe(true);

	await page.emulateMedia({ media: 'print' });
	mkdirSync(`${SHOTS}/cards-pdf`, { recursive: true });
	const pdf = `${SHOTS}/cards-pdf/demo-sheet-${RUN}.pdf`;
	await page.pdf({ path: pdf, format: 'A4', preferCSSPageSize: true });
	const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf]).toString())?.[1]);
	expect(pages).toBe(sections.reduce((sum, cards) => sum + Math.ceil(cards / perPage), 0));
	execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '2', pdf, `${SHOTS}/demo-sheet`]);
});
