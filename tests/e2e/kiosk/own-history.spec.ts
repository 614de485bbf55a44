import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/test';
import { residentCardsRichestFirst } from '../fixtures/test-cards';
import type { KioskPage } from './kiosk-page';
import { expectNoA11yViolations } from '../fixtures/axe';

/*
 * 我的积分记录: after a scan the resident reads their own last entries, fetched from the server
 * with the card's signed text: a point the office recorded, and what they just redeemed. Offline
 * it says plainly that the history needs the network, and the counter still works.
 */

const PORTRAIT = { width: 1080, height: 1920 } as const;
const LANDSCAPE = { width: 1280, height: 800 } as const;

/** 清扫楼道 for one resident, recorded by the demo admin with the office's own form. */
async function recordPointInOffice(page: Page, residentId: number): Promise<void> {
	await page.goto('/admin/points');
	const ruleId = await page
		.getByLabel('项目', { exact: true })
		.locator('option', { hasText: '清扫楼道' })
		.first()
		.getAttribute('value');
	const answer = await page.request.post('/admin/points?/record', {
		headers: { origin: new URL(page.url()).origin, 'x-sveltekit-action': 'true' },
		multipart: {
			batchKey: randomUUID().replaceAll('-', ''),
			ruleId: String(ruleId),
			occurredOn: new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }),
			residentId: String(residentId)
		}
	});
	expect(answer.ok()).toBe(true);
	expect(await answer.text()).not.toContain('"type":"failure"');
}

async function openHistory(kiosk: KioskPage): Promise<void> {
	await kiosk.page.getByTestId('own-history-open').click();
	await expect(kiosk.page.getByTestId('own-history')).toBeVisible();
}

test('a resident reads their own points history after a scan, and it needs the network', async ({
	kiosk,
	office,
	demoCards,
	serverDb
}) => {
	const page = kiosk.page;
	// A resident from the middle of the sheet: the richest ones are other specs' customers.
	const cards = await residentCardsRichestFirst(demoCards, serverDb);
	const resident = cards[Math.floor(cards.length / 2)];
	if (!resident) throw new Error('no genuine resident card on the demo sheet');
	const officePage = await office.context.newPage();
	await recordPointInOffice(officePage, resident.residentId);
	await officePage.close();

	// A redemption of the cheapest thing they can take, pushed to the server.
	await kiosk.scanByWedge(resident.credential);
	await kiosk.expectResident();
	const [cheapest] = await kiosk.availableItems();
	if (!cheapest) throw new Error('the resident can afford nothing');
	await kiosk.addItem(cheapest.id);
	await kiosk.confirm();
	await page.getByRole('button', { name: '完成' }).click();
	await kiosk.waitForAttract();
	await kiosk.expectPending(0);

	await kiosk.scanByWedge(resident.credential);
	await kiosk.expectResident();
	await page.screenshot({ path: 'test-results/kiosk-own-history-button-1280.png' });
	await page.setViewportSize(PORTRAIT);
	await page.screenshot({ path: 'test-results/kiosk-own-history-button-1080x1920.png' });
	await page.setViewportSize(LANDSCAPE);
	await openHistory(kiosk);
	const entries = page.getByTestId('own-history-entry');
	await expect(entries.first()).toBeVisible();
	const earned = entries.filter({ hasText: '清扫楼道' }).first();
	await expect(earned).toHaveAttribute('data-kind', 'earned');
	await expect(earned).toContainText(/\+\d+ 积分/);
	const spent = page.locator('[data-testid="own-history-entry"][data-kind="spent"]').first();
	await expect(spent).toContainText(/兑换.+×1/);
	await expect(spent).toContainText(/−\d+ 积分|0 积分/);
	await expect(entries.first()).toContainText(/\d+月\d+日/);
	expect(await entries.count()).toBeLessThanOrEqual(30);
	await expectNoA11yViolations(page, 'kiosk: 我的积分记录');
	await page.screenshot({ path: 'test-results/kiosk-own-history-1280.png' });
	await page.setViewportSize(PORTRAIT);
	await expect(entries.first()).toBeVisible();
	await page.screenshot({ path: 'test-results/kiosk-own-history-1080x1920.png' });
	await page.setViewportSize(LANDSCAPE);

	// 返回 goes back to the counter; 退出 forgets the list with the resident.
	await page.getByTestId('own-history-back').click();
	await expect(page.getByTestId('own-history')).toBeHidden();
	await expect(kiosk.residentPanel).toBeVisible();
	await openHistory(kiosk);
	await expect(entries.first()).toBeVisible();
	await page.getByTestId('own-history-back').click();
	await page.getByTestId('exit').click();
	await kiosk.waitForAttract();
	await kiosk.scanByWedge(resident.credential);
	await kiosk.expectResident();
	await expect(page.getByTestId('own-history')).toBeHidden();

	// Offline: a plain sentence and 返回; the balance is still there.
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
	await page.context().setOffline(true);
	await kiosk.expectOnline(false);
	await openHistory(kiosk);
	const unavailable = page.getByTestId('own-history-unavailable');
	await expect(unavailable).toContainText('查看积分记录需要联网');
	await expect(unavailable).toContainText('余额和兑换不受影响');
	await expect(entries).toHaveCount(0);
	await expectNoA11yViolations(page, 'kiosk: 我的积分记录 offline');
	await page.screenshot({ path: 'test-results/kiosk-own-history-offline-1280.png' });
	await page.setViewportSize(PORTRAIT);
	await page.screenshot({ path: 'test-results/kiosk-own-history-offline-1080x1920.png' });
	await page.setViewportSize(LANDSCAPE);
	await unavailable.getByRole('button', { name: '返回' }).click();
	await expect(kiosk.residentBalance).toBeVisible();
	await page.context().setOffline(false);
});
