import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import QRCode from 'qrcode';
import { Office } from '../fixtures/office';
import { decodeQrCodes } from '../fixtures/qr-decode';
import { addTestResident } from '../fixtures/server-db-writes';
import { expect, test } from '../fixtures/test';
import { ShopPage } from '../shop/shop-page';
import { AccountsOfficePage, CardsOfficePage, PrintPage } from './cards-accounts-pages';

/*
 * 积分卡 and 账号 in the office (issue 11 §1, §3): an admin issues a card to a new resident,
 * prints it at real size, reports it lost with a replacement; a kiosk then refuses the old card
 * (offline too) and takes the new one. The admin makes a 网格员 and a 店员 with a PIN, and
 * neither may open the account page or use its actions.
 */

const SHOTS = 'test-results';
const RUN = Date.now().toString(36).slice(-5);
/** Text fields carry markup to prove it is shown as text. */
const RESIDENT_NAME = `<b>卡</b>测试${RUN}`;

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

/** The 96 px/in of CSS: a millimetre in CSS pixels. */
const PX_PER_MM = 96 / 25.4;

async function checkPrintedAtRealSize(print: PrintPage, credential: string): Promise<void> {
	const page = print.page;
	await page.emulateMedia({ media: 'print' });
	const box = await print.cards.first().boundingBox();
	expect(box?.width).toBeCloseTo(85.6 * PX_PER_MM, 0); // 323.5 px
	expect(box?.height).toBeCloseTo(54 * PX_PER_MM, 0); // 204.1 px

	mkdirSync(`${SHOTS}/cards-pdf`, { recursive: true });
	const pdf = `${SHOTS}/cards-pdf/card-${RUN}.pdf`;
	await page.pdf({ path: pdf, format: 'A4' });
	await page.emulateMedia({ media: null });
	expect(execFileSync('pdfinfo', [pdf]).toString()).toMatch(
		/Page size:\s+[\d.]+ x [\d.]+ pts \(A4\)/
	);
	execFileSync('pdftoppm', [
		'-r',
		'100',
		'-png',
		'-f',
		'1',
		'-l',
		'1',
		pdf,
		pdf.replace('.pdf', '')
	]);
	const png = `${pdf.replace('.pdf', '')}-1.png`;
	const [decoded] = await decodeQrCodes(png);
	expect(decoded?.text).toBe(credential);
	// The QR box is 34 mm with a 2-module margin: its symbol measures 34 mm × N / (N + 4).
	const modules = QRCode.create(credential, { errorCorrectionLevel: 'M' }).modules.size;
	const symbolMm = (34 * modules) / (modules + 4);
	expect(decoded!.width / (100 / 25.4)).toBeCloseTo(symbolMm, 0);
}

test('an admin issues, prints and replaces a card; a kiosk refuses the lost one, offline too', async ({
	office,
	server,
	kiosk,
	page
}) => {
	test.setTimeout(180_000);
	const resident = addTestResident(server.databasePath, {
		building: `E2E${RUN}栋`,
		label: `E2E${RUN}栋1单元101`,
		name: RESIDENT_NAME
	});
	const officePage = await office.context.newPage();
	const cards = new CardsOfficePage(officePage);
	let firstCard = '';
	let replacement = '';

	await test.step('the admin issues a card and prints it at real size', async () => {
		await cards.findResident(`测试${RUN}`, RESIDENT_NAME);
		await cards.issue();
		await expect(cards.card(1)).toHaveAttribute('data-status', 'active');
		await screenshots(officePage, 'cards');
		const print = await cards.openPrintLink('打印这张卡');
		await expect(print.cards.first()).toContainText(RESIDENT_NAME);
		await expect(print.cards.first()).toContainText('积分卡');
		await expect(print.cards.first()).not.toContainText('信用卡');
		[firstCard = ''] = await print.credentials();
		await checkPrintedAtRealSize(print, firstCard);
		await screenshots(officePage, 'print');
	});

	await test.step('a kiosk that pulled takes the card', async () => {
		await kiosk.page.reload();
		await kiosk.waitForSynced();
		await expect(async () => {
			await kiosk.scanByWedge(firstCard);
			await expect(kiosk.residentPanel).toBeVisible({ timeout: 3_000 });
		}).toPass({ timeout: 40_000 });
		await kiosk.exit();
	});

	await test.step('the admin reports it lost and prints the replacement', async () => {
		await cards.openResident(resident.residentId);
		await cards.reportLost('<script>alert(1)</script>买菜时丢了');
		await expect(cards.card(1)).toHaveAttribute('data-status', 'revoked');
		await expect(cards.card(1)).toContainText('<script>alert(1)</script>买菜时丢了');
		await expect(cards.card(2)).toHaveAttribute('data-status', 'active');
		const print = await cards.openPrintLink('打印新卡');
		[replacement = ''] = await print.credentials();
		expect(replacement).not.toBe(firstCard);
		// 补打 prints the same card again: the same credential.
		await cards.openResident(resident.residentId);
		await cards.residentPanel.getByRole('button', { name: '补打第 2 张卡' }).click();
		await expect(print.cards).toHaveCount(1);
		expect(await print.credentials()).toEqual([replacement]);
	});

	await test.step('after its next pull the kiosk refuses the old card and takes the new one', async () => {
		await kiosk.page.reload();
		await kiosk.waitForSynced();
		await expect(async () => {
			if (await kiosk.message.isVisible()) await kiosk.dismissMessage();
			if (await kiosk.residentPanel.isVisible()) await kiosk.exit();
			await kiosk.scanByWedge(firstCard);
			await kiosk.expectProblem('revoked');
		}).toPass({ timeout: 40_000 });
		await kiosk.dismissMessage();
		await kiosk.scanByWedge(replacement);
		await kiosk.expectResident();
		await kiosk.exit();
	});

	await test.step('offline, the kiosk still refuses the old card and takes the new one', async () => {
		await kiosk.page.context().setOffline(true);
		await kiosk.expectOnline(false);
		await kiosk.scanByWedge(firstCard);
		await kiosk.expectProblem('revoked');
		await kiosk.dismissMessage();
		await kiosk.scanByWedge(replacement);
		await kiosk.expectResident();
		await kiosk.exit();
		await kiosk.page.context().setOffline(false);
	});

	await test.step('two admins reporting the same card lost at once: one wins, the other is told', async () => {
		const desks = [cards, new CardsOfficePage(await office.context.newPage())];
		for (const desk of desks) {
			await desk.openResident(resident.residentId);
			await desk.residentPanel.getByLabel('挂失原因').fill('同时挂失');
			await desk.residentPanel.getByLabel('我确认这张卡已丢失').check();
		}
		await Promise.all(
			desks.map((desk) => desk.residentPanel.getByRole('button', { name: '挂失并补卡' }).click())
		);
		const answers = desks.map((desk) => desk.done.or(desk.problem));
		for (const answer of answers) await expect(answer).toBeVisible();
		const texts = await Promise.all(answers.map((answer) => answer.innerText()));
		expect(texts.filter((text) => text.includes('已挂失旧卡，补发第 3 张卡'))).toHaveLength(1);
		expect(texts.filter((text) => /已经由 .+ 挂失了，没有再挂失一次/.test(text))).toHaveLength(1);
		await cards.openResident(resident.residentId);
		await expect(cards.residentPanel.locator('li[data-status="active"]')).toHaveCount(1);
		await expect(cards.card(3)).toHaveAttribute('data-status', 'active');
		await desks[1]!.page.close();
	});

	await page.close();
	await officePage.close();
});

test('cards for every resident of a building without one print ten to an A4 page', async ({
	office,
	server
}) => {
	const building = `批量${RUN}栋`;
	for (let room = 1; room <= 12; room++) {
		addTestResident(server.databasePath, {
			building,
			label: `${building}1单元${100 + room}`,
			name: `批量居民${room}`
		});
	}
	const page = await office.context.newPage();
	await page.goto('/admin/cards');
	await page.locator('select[name="building"]').selectOption(building);
	await page.getByRole('button', { name: '为没有卡的居民发卡并打印' }).click();
	const print = new PrintPage(page);
	await expect(print.cards).toHaveCount(12);
	await expect(page.getByText('共 12 张卡，2 页 A4')).toBeVisible();
	const credentials = await print.credentials();

	mkdirSync(`${SHOTS}/cards-pdf`, { recursive: true });
	const pdf = `${SHOTS}/cards-pdf/building-${RUN}.pdf`;
	await page.pdf({ path: pdf, format: 'A4' });
	expect(execFileSync('pdfinfo', [pdf]).toString()).toMatch(/Pages:\s+2\n/);
	execFileSync('pdftoppm', ['-r', '150', '-png', pdf, pdf.replace('.pdf', '')]);
	const first = await decodeQrCodes(`${pdf.replace('.pdf', '')}-1.png`);
	const second = await decodeQrCodes(`${pdf.replace('.pdf', '')}-2.png`);
	expect(first.map((qr) => qr.text).sort()).toEqual(credentials.slice(0, 10).sort());
	expect(second.map((qr) => qr.text).sort()).toEqual(credentials.slice(10).sort());

	// A second press finds no one left without a card.
	await page.goto('/admin/cards');
	await page.locator('select[name="building"]').selectOption(building);
	await page.getByRole('button', { name: '为没有卡的居民发卡并打印' }).click();
	await expect(page.getByRole('alert')).toHaveText(`${building} 的居民都已经有卡了`);
	await page.close();
});

test('a 网格员 and a 店员 made by the admin get 403 on the account page and its actions', async ({
	office,
	server,
	browser,
	serverDb
}) => {
	const page = await office.context.newPage();
	const accounts = new AccountsOfficePage(page);
	const password = 'e2e-password-1';
	const grid = { username: `grid-${RUN}`, displayName: `<i>网格</i>${RUN}`, password };
	const shop = { username: `shop-${RUN}`, displayName: `店员${RUN}`, password };

	await accounts.open();
	await accounts.create({ ...grid, role: 'gridWorker' });
	await expect(accounts.entry(grid.username)).toContainText(grid.displayName);
	await accounts.create({ ...shop, role: 'shopkeeper' });
	await accounts.setPin(shop.username, '2468', 'shopkeeper');
	await expect(accounts.entry(shop.username)).toContainText('打印店员卡（第 1 张）');

	const origin = new URL(server.baseURL).origin;
	const wrongPin = await office.context.request.post('/admin/accounts?/pin', {
		form: {
			accountId: String(serverDb.staffCards().at(-1)?.accountId ?? 0),
			shopRole: 'shopkeeper',
			pin: '12',
			pinAgain: '12'
		},
		headers: { origin, accept: 'text/html' }
	});
	expect(wrongPin.status()).toBe(400);
	expect(await wrongPin.text()).toContain('PIN 是 4–8 位数字');
	await screenshots(page, 'accounts');

	for (const account of [grid, shop]) {
		const them = await Office.logIn(browser, server.baseURL, account);
		const theirPage = await them.context.newPage();
		const response = await theirPage.goto('/admin/accounts');
		expect(response?.status()).toBe(403);
		await expect(theirPage.getByRole('heading', { name: '没有权限' })).toBeVisible();
		expect((await theirPage.goto('/admin/audit'))?.status()).toBe(403);
		expect((await theirPage.goto('/admin/cards'))?.status()).toBe(403);
		const created = await them.context.request.post('/admin/accounts?/create', {
			form: {
				username: `sneaky-${account.username}`,
				displayName: '越权',
				role: 'admin',
				password,
				passwordAgain: password
			},
			headers: { origin, accept: 'text/html' }
		});
		expect(created.status()).toBe(403);
		const lost = await them.context.request.post('/admin/cards?/bulk', {
			form: { building: `E2E${RUN}栋` },
			headers: { origin, accept: 'text/html' }
		});
		expect(lost.status()).toBe(403);
		await them.close();
	}
	await accounts.open();
	await expect(page.locator('li[data-username^="sneaky-"]')).toHaveCount(0);

	await page.goto('/admin/audit?group=account');
	await expect(
		page.getByText(`新增账号 ${grid.displayName}（${grid.username}，网格员）`)
	).toBeVisible();
	await screenshots(page, 'audit');
	await page.close();
});

test('the office unlocks a 店员 card the kiosk locked after wrong PINs', async ({
	office,
	kiosk
}) => {
	test.setTimeout(120_000);
	const page = await office.context.newPage();
	const accounts = new AccountsOfficePage(page);
	const keeper = {
		username: `unlock-${RUN}`,
		displayName: `解锁${RUN}`,
		password: 'e2e-password-2'
	};
	await accounts.open();
	await accounts.create({ ...keeper, role: 'shopkeeper' });
	await accounts.setPin(keeper.username, '1357', 'shopkeeper');
	await accounts
		.entry(keeper.username)
		.getByRole('link', { name: /打印店员卡/ })
		.click();
	const staffPrint = new PrintPage(page);
	await expect(staffPrint.cards).toHaveCount(1);
	const [staffCard = ''] = await staffPrint.credentials();
	expect(staffCard).toMatch(/^CS1\.S\./);

	const shop = new ShopPage(kiosk);
	await expect(async () => {
		await kiosk.page.reload();
		await kiosk.waitForSynced();
		await shop.scanStaffCard(staffCard);
	}).toPass({ timeout: 40_000 });
	for (let attempt = 0; attempt < 5; attempt++) await shop.typePin('8642');
	await expect(shop.pinError).toHaveText(/已锁定/);

	await accounts.open();
	await accounts.entry(keeper.username).getByRole('button', { name: '解锁柜台 PIN' }).click();
	await expect(accounts.entry(keeper.username).getByRole('status')).toContainText('已解锁');

	await expect(async () => {
		await kiosk.page.reload();
		await kiosk.waitForSynced();
		await shop.scanStaffCard(staffCard);
		await shop.typePin('1357');
		await expect(shop.home).toBeVisible({ timeout: 3_000 });
	}).toPass({ timeout: 40_000 });
	await page.close();
});
