import type { Page } from '@playwright/test';
import { KioskPage } from '../kiosk/kiosk-page';
import { expectNoA11yViolations } from '../fixtures/axe';
import { installFakeCamera } from '../fixtures/fake-camera';
import { Office, logInToOffice } from '../fixtures/office';
import { startOwnServer, type OwnServer } from '../fixtures/own-server';
import { expect, test } from '../fixtures/test';
import { AccountsOfficePage, CardsOfficePage, PrintPage } from './cards-accounts-pages';
import { CataloguePages, drawnPng } from './catalogue-page';
import { PointsPage } from './points-page';
import { ResidentsPages } from './residents-pages';

/*
 * Issue 11's promise in one story, on a server as a community installs it (`npm start` on an
 * empty data folder, no demo): the first account, residents from a spreadsheet, two items with
 * pictures, a shopkeeper with a PIN, cards issued and printed, a 网格员 on a phone records an
 * activity, the admin approves it, a kiosk enrolls and a resident spends the points just earned
 * with the network off (the item's picture still showing); a lost card is replaced, and the old
 * one is refused offline.
 */

const PHONE = { width: 375, height: 667 };
const DESK = { width: 1440, height: 900 };
const ADMIN = { username: 'zhuren', password: 'xingfu-2026', displayName: '刘主任' };
const GRID = { username: 'wangge', password: 'louyuan-88', displayName: '网格员小赵' };
const KEEPER = { username: 'dianyuan', password: 'chaoshi-66', displayName: '店员老孙' };
const ROSTER = [
	'楼栋,单元,房号,住户标签,姓名,手机号',
	'1栋,1单元,101,,王秀英,13800001234',
	'1栋,1单元,101,,李建国,',
	'1栋,2单元,502,,赵桂兰,13900005678'
].join('\n');

let server: OwnServer;

test.beforeAll(async () => {
	server = await startOwnServer({}, { npmStart: true });
});

test.afterAll(async () => {
	await server?.stop();
});

const shot = (page: Page, name: string) =>
	page.screenshot({ path: `test-results/story-${name}.png`, fullPage: true });

test('from an empty server to a resident spending the points they earned, offline', async ({
	browser
}) => {
	test.setTimeout(6 * 60_000);

	const desk = await browser.newContext({ baseURL: server.url, locale: 'zh-CN', viewport: DESK });
	const page = await desk.newPage();

	await test.step('the first start asks for the first office account', async () => {
		await page.goto('/admin');
		await expect(page).toHaveURL(/\/admin\/(setup|login)/);
		await page.goto('/admin/setup');
		await expectNoA11yViolations(page, 'office first-account setup');
		await page.locator('input[name="communityName"]').fill('春风里社区');
		await page.locator('input[name="slug"]').fill('chunfengli');
		await page.locator('input[name="displayName"]').fill(ADMIN.displayName);
		await page.locator('input[name="username"]').fill(ADMIN.username);
		await page.locator('input[name="password"]').fill(ADMIN.password);
		await page.locator('input[name="passwordAgain"]').fill(ADMIN.password);
		await page.getByRole('button', { name: '创建并登录' }).click();
		await expect(page.getByRole('link', { name: '春风里社区 · 社区办公室' })).toBeVisible();
		await shot(page, 'office-home-1440');
	});

	await test.step('residents come from a spreadsheet: a dry run, then confirmed', async () => {
		const residents = new ResidentsPages(page);
		await residents.importCsv('居民名单.csv', ROSTER);
		await expect(page.getByText('新增').first()).toBeVisible();
		await residents.confirmImport();
		await residents.search('1栋');
		for (const name of ['王秀英', '李建国', '赵桂兰']) {
			await expect(residents.resultRow(name)).toBeVisible();
		}
	});

	const catalogue = new CataloguePages(page);
	let riceId = 0;
	await test.step('two items with pictures', async () => {
		riceId = await catalogue.create({
			name: '春风大米 2kg',
			category: '粮油',
			kind: 'goods',
			points: '3',
			stockTracked: false,
			picture: {
				name: 'rice.png',
				mimeType: 'image/png',
				buffer: await drawnPng('大米', '#b45309')
			}
		});
		await catalogue.create({
			name: '理发一次',
			category: '服务',
			kind: 'service',
			points: '10',
			picture: {
				name: 'hair.png',
				mimeType: 'image/png',
				buffer: await drawnPng('理发', '#1d4ed8')
			}
		});
	});

	await test.step('a 网格员 and a shopkeeper with a PIN', async () => {
		const accounts = new AccountsOfficePage(page);
		await accounts.open();
		await accounts.create({ ...GRID, role: 'gridWorker' });
		await accounts.create({ ...KEEPER, role: 'shopkeeper' });
		await accounts.setPin(KEEPER.username, '2580', 'shopkeeper');
	});

	await test.step('the points list gets its first rule', async () => {
		await page.goto('/admin/rules');
		await page.getByText('新增项目', { exact: true }).first().click();
		await page.getByLabel('项目名称').first().fill('楼道清洁');
		await page.getByLabel(/^分值/).first().fill('2');
		await page.getByRole('button', { name: '新增项目' }).first().click();
		await expect(page.getByText('楼道清洁').first()).toBeVisible();
	});

	const credentials = new Map<string, string>();
	await test.step('cards for everyone in 1栋, printed on A4', async () => {
		await page.goto('/admin/cards');
		await page.locator('select[name="building"]').selectOption('1栋');
		await page.getByRole('button', { name: '为没有卡的居民发卡并打印' }).click();
		const print = new PrintPage(page);
		await expect(print.cards).toHaveCount(3);
		for (const name of ['王秀英', '李建国', '赵桂兰']) {
			const card = print.cards.filter({ hasText: name });
			await expect(card).toContainText('积分卡');
			credentials.set(name, (await card.getAttribute('data-credential'))!);
		}
		await shot(page, 'print-cards-1440');
	});

	await test.step('the 网格员 records the stairwell cleaning on his phone', async () => {
		const phone = await logInToOffice(browser, server.url, GRID, PHONE);
		const gridPage = await phone.newPage();
		const points = new PointsPage(gridPage);
		await points.open();
		await points.chooseRule('楼道清洁');
		await points.search('1栋');
		const boxes = points.results;
		await expect(boxes).toHaveCount(3);
		for (const box of await boxes.all()) await box.check();
		await expect(points.chips).toHaveCount(3);
		await points.next();
		await expect(points.summary).toContainText('楼道清洁 · 2 分 × 3 人 = 6 分');
		await shot(gridPage, 'grid-confirm-375');
		await gridPage.getByRole('button', { name: '确认保存' }).click();
		await expect(gridPage.getByText('等待管理员审核')).toBeVisible();
		await phone.close();
	});

	await test.step('the admin approves; the points are spendable', async () => {
		await page.goto('/admin/points/review');
		await page.getByRole('button', { name: /^通过这一批/ }).click();
		await expect(page.getByText('已通过 3 条')).toBeVisible();
	});

	// The kiosk at the counter: enrolled with a code from the office, it pulls the community.
	const kioskContext = await browser.newContext({
		baseURL: server.url,
		locale: 'zh-CN',
		viewport: { width: 1280, height: 800 },
		permissions: ['camera'],
		serviceWorkers: 'allow'
	});
	const kioskTab = await kioskContext.newPage();
	await installFakeCamera(kioskTab, null);
	const kiosk = new KioskPage(kioskTab);
	const office = await Office.logIn(browser, server.url, ADMIN);

	await test.step('a kiosk enrolls and pulls; 王秀英 spends her 2 points offline', async () => {
		await kiosk.open();
		await kiosk.enroll(await office.mintKioskEnrollCode());
		await kiosk.waitForSynced();
		await kiosk.scanByWedge(credentials.get('王秀英')!);
		await kiosk.expectResident();
		expect(await kiosk.balance()).toBe(2);
		await kiosk.exit();
		// Installed for offline use: the app's service worker, and the pictures of both items.
		await kiosk.page.evaluate(() => navigator.serviceWorker.ready);
		await expect
			.poll(
				() =>
					kiosk.page.evaluate(async () => {
						const cache = await caches.open('item-pictures');
						return (await cache.keys()).length;
					}),
				{ timeout: 30_000 }
			)
			.toBe(2);

		await kioskContext.setOffline(true);
		await kiosk.expectOnline(false, 30_000);
		await kiosk.page.reload();
		await kiosk.waitForAttract();
		await kiosk.scanByWedge(credentials.get('王秀英')!);
		await kiosk.expectResident();
		// The rice costs 3 of her 2: not yet. The haircut costs 10.
		await expect(kiosk.itemCard(riceId)).toHaveAttribute('data-available', 'false');
		const picture = kiosk.itemCard(riceId).locator('img');
		await expect
			.poll(() =>
				picture.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0)
			)
			.toBe(true);
		await kiosk.exit();
	});

	/** Scans a card and reads something off the screen, until a pull has brought what it waits for. */
	const afterPull = async <T>(read: () => Promise<T>, expected: T) => {
		await expect
			.poll(
				async () => {
					await kiosk.page.reload();
					await kiosk.waitForAttract();
					return read();
				},
				{ timeout: 90_000, intervals: [1000, 2000, 5000] }
			)
			.toBe(expected);
	};

	await test.step('the admin changes the rice to 2 points; back online the kiosk follows and she takes it', async () => {
		await catalogue.edit(riceId, { points: '2' });
		await kioskContext.setOffline(false);
		await kiosk.expectOnline(true, 30_000);
		await afterPull(async () => {
			await kiosk.scanByWedge(credentials.get('王秀英')!);
			await kiosk.expectResident();
			return kiosk.itemCard(riceId).getAttribute('data-points');
		}, '2');
		await kioskContext.setOffline(true);
		await kiosk.expectOnline(false, 30_000);
		await kiosk.addItem(riceId);
		expect(await kiosk.confirm()).toBe(0);
		await kiosk.expectPending(1);
		await shot(kiosk.page, 'kiosk-success-1280');
	});

	await test.step('李建国 lost his card: revoked and replaced; offline the old one is refused, the new one works', async () => {
		const cards = new CardsOfficePage(page);
		await cards.findResident('李建国', '李建国');
		await cards.reportLost('买菜时丢了');
		const print = await cards.openPrintLink('打印新卡');
		const [replacement] = await print.credentials();
		expect(replacement).toBeTruthy();
		expect(replacement).not.toBe(credentials.get('李建国'));

		await kioskContext.setOffline(false);
		await kiosk.expectOnline(true, 30_000);
		await afterPull(async () => {
			await kiosk.scanByWedge(credentials.get('李建国')!);
			await expect(kiosk.residentPanel.or(kiosk.message)).toBeVisible();
			return kiosk.message.getAttribute('data-problem');
		}, 'revoked');
		await kioskContext.setOffline(true);
		await kiosk.page.reload();
		await kiosk.waitForAttract();
		await kiosk.expectOnline(false, 30_000);
		await kiosk.scanByWedge(credentials.get('李建国')!);
		await kiosk.expectProblem('revoked');
		await kiosk.dismissMessage();
		await kiosk.scanByWedge(replacement!);
		await kiosk.expectResident();
		expect(await kiosk.balance()).toBe(2);
	});

	await office.close();
	await kioskContext.close();
	await desk.close();
});
