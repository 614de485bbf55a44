import { installFakeCamera } from '../fixtures/fake-camera';
import { expect, test } from '../fixtures/test';
import { residentCardsRichestFirst } from '../fixtures/test-cards';
import { KioskPage } from '../kiosk/kiosk-page';
import { ShopPage } from './shop-page';
import { ShopServerDb } from './shop-server-db';
import { staffCard, wrongPin } from './staff-cards';

/* The closing's guards: a manager's second PIN, a redemption during the count, closing twice. */

test("a difference beyond the community's limit needs a manager's card and PIN; a second close is refused", async ({
	kiosk,
	demoCards,
	serverDb,
	server
}) => {
	const page = kiosk.page;
	const shop = new ShopPage(kiosk);
	const keeper = staffCard(demoCards, 'shopkeeper');
	const manager = staffCard(demoCards, 'manager');
	const shopDb = new ShopServerDb(server.databasePath);
	const limit = shopDb.countDifferenceLimit(serverDb.community().id);
	shopDb.close();

	await shop.signIn(keeper.credential, keeper.pin);
	await shop.open('count');
	const rows = await shop.countSheetRows();
	for (const row of rows.slice(1)) await row.getByTestId('count-match').click();
	const first = rows[0]!;
	const expected = Number(await first.getAttribute('data-expected'));
	await first.getByTestId('count-enter').click();
	await shop.enterQuantity(String(expected + limit + 1));
	await first.getByTestId('count-reason').click();
	// More on the shelf than in the books: the reasons are those of a surplus.
	const choices = page.getByTestId('reason-choice');
	await expect(choices.filter({ hasText: '漏记入库' })).toBeVisible();
	await expect(choices.filter({ hasText: '漏记出库' })).toHaveCount(0);
	await page.getByTestId('reason-text').fill('供货商多送');
	await page.getByTestId('reason-ok').click();
	await page.getByTestId('count-close').click();

	const approval = page.getByTestId('approval-dialog');
	await expect(approval).toBeVisible();
	await kiosk.scanByWedge(keeper.credential);
	await expect(page.getByTestId('approval-error')).toContainText('另一位');
	await kiosk.scanByWedge(manager.credential);
	await expect(page.getByTestId('approval-name')).not.toBeEmpty();
	// Keypad and 取消 both on a 1280×800 screen, nothing below the fold.
	await expect(approval.getByTestId('approval-cancel')).toBeInViewport({ ratio: 1 });
	await expect(approval.getByTestId('pin-submit')).toBeInViewport({ ratio: 1 });
	expect(await approval.evaluate((dialog) => dialog.scrollHeight - dialog.clientHeight)).toBe(0);
	await page.screenshot({ path: 'test-results/shop-approval-1280x800.png' });
	await shop.typePin(wrongPin(manager.pin), 'approval-pin');
	await expect(approval.getByTestId('pin-error')).toContainText('还可以再试 4 次');
	await shop.typePin(manager.pin, 'approval-pin');
	await expect(shop.report).toBeVisible();
	await expect(shop.report).toContainText('复核人');
	const line = (await shop.reportLines())[0]!;
	expect(line).toMatchObject({ difference: limit + 1, reason: '供货商多送' });

	await shop.open('count');
	await expect(page.getByTestId('count-already-closed')).toContainText('已经日结过了');
});

test('a redemption made while the shopkeeper counts is caught at the close, and its item is counted again', async ({
	kiosk,
	demoCards,
	serverDb
}) => {
	const page = kiosk.page;
	const shop = new ShopPage(kiosk);
	const keeper = staffCard(demoCards, 'shopkeeper');
	// The second window below opens offline: the page must come from the service worker.
	await page.evaluate(() => navigator.serviceWorker.ready);
	// Offline, so that only this kiosk moves its figures (no pull brings other kiosks' redemptions).
	await page.context().setOffline(true);
	await kiosk.expectOnline(false);
	await shop.signIn(keeper.credential, keeper.pin);
	await shop.open('count');
	for (const row of await shop.countSheetRows()) {
		if (await row.getByTestId('count-match').isEnabled()) {
			await row.getByTestId('count-match').click();
		} else {
			await row.getByTestId('count-enter').click();
			await shop.enterQuantity('0');
			await row.getByTestId('count-reason').click();
			await page.getByTestId('reason-choice').first().click();
			await page.getByTestId('reason-ok').click();
		}
	}

	// Meanwhile, in a second window of the same kiosk, a resident redeems.
	const resident = (await residentCardsRichestFirst(demoCards, serverDb))[0]!;
	const counterPage = await page.context().newPage();
	await installFakeCamera(counterPage, null);
	const counter = new KioskPage(counterPage);
	await counter.open();
	await counter.waitForAttract();
	await counter.scanByWedge(resident.credential);
	await counter.expectResident();
	const stockRows = new Map<number, number>();
	for (const row of await shop.countSheetRows()) {
		stockRows.set(
			Number(await row.getAttribute('data-item-id')),
			Number(await row.getAttribute('data-expected'))
		);
	}
	const item = (await counter.availableItems()).find((candidate) => stockRows.has(candidate.id));
	if (!item) throw new Error('no stock-tracked item the resident can take');
	await counter.addItem(item.id);
	await counter.confirm();
	await counterPage.close();

	await page.getByTestId('count-close').click();
	await shop.expectNotice('changed_since_opened');
	const recounted = shop.countRow(item.id);
	await shop.dismissNotice();
	await expect(recounted.getByTestId('recount-flag')).toBeVisible();
	await expect(recounted).toHaveAttribute('data-counted', '');
	await expect(recounted).toHaveAttribute('data-expected', String(stockRows.get(item.id)! - 1));
	await recounted.getByTestId('count-match').click();
	await page.getByTestId('count-close').click();
	await expect(shop.report).toBeVisible();
	const line = (await shop.reportLines()).find((candidate) => candidate.itemId === item.id)!;
	expect(line.redeemed).toBeGreaterThanOrEqual(1);
	expect(line.expected).toBe(stockRows.get(item.id)! - 1);
});
