import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/test';
import { residentCardsRichestFirst } from '../fixtures/test-cards';

/*
 * A server that is reachable but cannot take the kiosk's events (its disk is full) must cost the
 * counter nothing: the resident's redemption completes, the status bar says sync is held up, the
 * event waits in the outbox, and it reaches the ledger once when the server takes it again.
 */

// page.route must see the kiosk's push, which a service worker would otherwise fetch itself.
test.use({ serviceWorkers: 'block' });

test('a server whose disk is full holds the redemption on the kiosk until it can take it, once', async ({
	kiosk,
	demoCards,
	serverDb
}) => {
	const page = kiosk.page;
	const [resident] = await residentCardsRichestFirst(demoCards, serverDb);
	if (!resident) throw new Error('no genuine resident card on the demo sheet');
	const since = new Date().toISOString();
	// Other specs may serve the same resident meanwhile: count only this kiosk's redemptions.
	const deviceId = await kioskDeviceId(page);
	const ourRedemptions = () =>
		serverDb
			.redemptionEventsOfResident(resident.residentId, since)
			.filter((event) => event.deviceId === deviceId);

	let refused = 0;
	await page.route('**/api/sync/push', (route) => {
		refused++;
		return route.fulfill({
			status: 507,
			json: { error: 'storage_full', message: '服务器存储空间已满' }
		});
	});

	await kiosk.scanByWedge(resident.credential);
	await kiosk.expectResident();
	const shown = await kiosk.balance();
	const [cheapest] = await kiosk.availableItems();
	if (!cheapest) throw new Error('the richest resident can afford nothing');
	await kiosk.addItem(cheapest.id);
	const price = serverDb.itemPoints(cheapest.id);
	expect(await kiosk.confirm()).toBe(shown - price);
	await page.getByRole('button', { name: '完成' }).click();
	await kiosk.waitForAttract();

	await expect(page.getByTestId('sync-problem')).toHaveText('同步受阻，稍后自动重试');
	await kiosk.expectPending(1);
	await kiosk.expectOnline(true);
	expect(refused).toBeGreaterThan(0);
	expect(ourRedemptions()).toEqual([]);

	await page.unroute('**/api/sync/push');
	// The next try comes with the backoff (a few seconds); a touch of the network speeds it up.
	await page.evaluate(() => window.dispatchEvent(new Event('online')));
	await kiosk.expectPending(0, 30_000);
	await expect(page.getByTestId('sync-problem')).toBeHidden();
	const applied = ourRedemptions();
	expect(applied).toHaveLength(1);
	expect(serverDb.ledgerEntriesOfEvent(applied[0]!.id)).toMatchObject([
		{ residentId: resident.residentId, points: -price, reason: 'redemption' }
	]);
});

/** The id this kiosk enrolled under, from its own database. */
function kioskDeviceId(page: Page): Promise<string> {
	return page.evaluate(
		() =>
			new Promise<string>((resolve, reject) => {
				const open = indexedDB.open('credit-shop-kiosk');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const read = open.result.transaction('meta').objectStore('meta').get('device');
					read.onerror = () => reject(read.error);
					read.onsuccess = () => {
						open.result.close();
						resolve((read.result as { value: { deviceId: string } }).value.deviceId);
					};
				};
			})
	);
}
