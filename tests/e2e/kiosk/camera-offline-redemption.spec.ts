import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS, fakeCameraArgs, requireChromium } from '../../../scripts/find-chromium.js';
import { enrollKioskByApi, pullEverything } from '../fixtures/device-api';
import { expect, test } from '../fixtures/test';
import { residentCardsRichestFirst } from '../fixtures/test-cards';
import { writeQrY4m } from '../fixtures/y4m';
import { KioskPage } from './kiosk-page';

/*
 * The whole promise of the counter in one story: a resident's printed card is read by Chromium's
 * fake camera (a Y4M file of the card's QR code), two redemptions are made with the network off,
 * the kiosk restarts from its service worker still holding them, and once back online the
 * server's ledger holds each exactly once.
 */

let browser: Browser | undefined;
test.afterEach(async () => {
	await browser?.close();
	browser = undefined;
});

test('a card read by the camera, two offline redemptions, a reload offline, then exactly-once sync', async ({
	server,
	demoCards,
	serverDb,
	mintEnrollCode,
	playwright
}, testInfo) => {
	test.setTimeout(120_000);
	const startedAt = new Date().toISOString();

	// The richest resident, so that two items are surely affordable.
	// The third richest: other specs running beside this one serve the first two, and the ledger
	// checks below count every redemption of this resident.
	const card = (await residentCardsRichestFirst(demoCards, serverDb))[2];
	if (!card) throw new Error('the demo sheet has no genuine resident card');
	const openingBalance = serverDb.ledgerBalance(card.residentId);

	const cameraFile = testInfo.outputPath('resident-card.y4m');
	await writeQrY4m(cameraFile, card.credential);
	browser = await chromium.launch({
		executablePath: requireChromium().executablePath,
		args: [...CHROMIUM_ARGS, ...fakeCameraArgs(cameraFile)]
	});
	const context = await browser.newContext({
		baseURL: server.baseURL,
		viewport: { width: 1280, height: 800 },
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		permissions: ['camera']
	});

	await test.step('enroll the kiosk (camera covered, so the card is not read before setup)', async () => {
		const setupPage = await context.newPage();
		await setupPage.addInitScript(() => {
			navigator.mediaDevices.getUserMedia = () =>
				Promise.reject(new DOMException('camera covered during setup', 'NotFoundError'));
		});
		const setup = new KioskPage(setupPage);
		await setup.open();
		await setup.enroll(await mintEnrollCode());
		await setup.waitForSynced();
		await setupPage.close();
	});

	const kiosk = new KioskPage(await context.newPage());
	await test.step('the camera reads the card and opens the resident', async () => {
		await kiosk.open();
		await expect(kiosk.residentPanel).toBeVisible({ timeout: 30_000 });
		expect(await kiosk.balance()).toBe(openingBalance);
	});

	// The service worker must have precached the app before the network goes: on a busy machine
	// its install can still be running here, and the reload offline below would find nothing.
	await kiosk.page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await context.setOffline(true);
	await kiosk.expectOnline(false);

	// The two cheapest, to stay within the community's offline daily limit.
	const [first, second] = (await kiosk.availableItems())
		.map((item) => ({ id: item.id, points: serverDb.itemPoints(item.id) }))
		.sort((a, b) => a.points - b.points);
	if (!first || !second) throw new Error('the resident can take fewer than two items');
	const firstPrice = serverDb.itemPoints(first.id);
	const secondPrice = serverDb.itemPoints(second.id);

	await test.step('two redemptions with the network off', async () => {
		await kiosk.addItem(first.id);
		expect(await kiosk.confirm()).toBe(openingBalance - firstPrice);

		// The card is still in front of the camera; the shopkeeper's scanner reads it again.
		await kiosk.scanByWedge(card.credential);
		await kiosk.expectResident();
		expect(await kiosk.balance()).toBe(openingBalance - firstPrice);
		await kiosk.addItem(second.id);
		expect(await kiosk.confirm()).toBe(openingBalance - firstPrice - secondPrice);
		await kiosk.expectPending(2);
	});

	await test.step('a reload with the network off comes from the service worker and still holds both', async () => {
		await kiosk.page.reload();
		await expect(kiosk.attract.or(kiosk.residentPanel)).toBeVisible({ timeout: 20_000 });
		expect(await kiosk.page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
		await kiosk.expectPending(2);
		await kiosk.expectOnline(false);
	});

	await test.step('back online, the outbox empties', async () => {
		await context.setOffline(false);
		await kiosk.expectPending(0, 30_000);
		await kiosk.expectOnline(true);
	});

	await test.step("the server's ledger holds each redemption exactly once", async () => {
		const events = serverDb.redemptionEventsOfResident(card.residentId, startedAt);
		expect(events).toHaveLength(2);
		for (const event of events) {
			const entries = serverDb.ledgerEntriesOfEvent(event.id);
			expect(entries).toHaveLength(1);
			expect(entries[0]?.reason).toBe('redemption');
		}
		expect(
			serverDb
				.ledgerEntriesOfEvent(events[0]!.id)
				.concat(serverDb.ledgerEntriesOfEvent(events[1]!.id))
				.map((entry) => entry.points)
				.sort((a, b) => a - b)
		).toEqual([-firstPrice, -secondPrice].sort((a, b) => a - b));
		expect(serverDb.eventsWithSeveralLedgerEntries()).toEqual([]);
		expect(serverDb.ledgerBalance(card.residentId)).toBe(openingBalance - firstPrice - secondPrice);
	});

	await test.step('every balance the server hands out equals its ledger sum', async () => {
		const request = await playwright.request.newContext({ baseURL: server.baseURL });
		const auditor = await enrollKioskByApi(request, await mintEnrollCode(), '对账');
		// Other specs may push meanwhile: compare a pull and the ledger taken back to back.
		await expect
			.poll(async () => {
				const { residents } = await pullEverything(request, auditor);
				const ledger = serverDb.ledgerBalances();
				return [...residents.values()]
					.filter((resident) => resident.balance !== (ledger.get(resident.id) ?? 0))
					.map((resident) => resident.id);
			})
			.toEqual([]);
		await request.dispose();
	});

	await test.step('the kiosk shows the new balance', async () => {
		if (await kiosk.residentPanel.isVisible()) await kiosk.exit();
		await kiosk.scanByWedge(card.credential);
		await kiosk.expectResident();
		await expect.poll(() => kiosk.balance()).toBe(serverDb.ledgerBalance(card.residentId));
	});
});
