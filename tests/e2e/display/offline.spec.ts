import { test, expect } from '../fixtures/test';
import { DisplayPage } from './display-page';
import { renameCommunity } from './server-content';

test.use({ viewport: { width: 1920, height: 1080 } });

test('with the network off the display keeps rotating, through a reload, and takes new content once back online', async ({
	page,
	context,
	office,
	server
}) => {
	const CHECK_SECONDS = 3;
	const display = new DisplayPage(page);
	await display.record();
	await display.open({ speed: 10, check: CHECK_SECONDS });
	await display.enroll(await office.mintEnrollCode('display'));
	await expect(display.community).toHaveText('幸福里社区');
	await expect(display.freshness).toContainText('内容更新于');
	// The service worker has the shell; the feed's pictures are in the display's own database.
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await expect
		.poll(() => page.evaluate(storedPictures), { timeout: 20_000 })
		.toBeGreaterThanOrEqual(6);

	await test.step('network off: slides keep changing and the screen says it is offline', async () => {
		await context.setOffline(true);
		await display.waitForMoreSlides(3);
		await expect(display.offlineHint).toBeVisible({ timeout: 15_000 });
	});

	await test.step('a reload with the network off comes from the cache and rotates on', async () => {
		await page.reload();
		expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
		await expect(display.setup).toBeHidden();
		await expect(display.community).toHaveText('幸福里社区');
		await display.waitForMoreSlides(3);
		await expect(display.offlineHint).toBeVisible({ timeout: 15_000 });
		expect(await page.evaluate(storedPictures)).toBeGreaterThanOrEqual(6);
	});

	await test.step('new content on the server shows within one check interval once back online', async () => {
		const restore = renameCommunity(server.databasePath, '幸福里社区（新）');
		try {
			await context.setOffline(false);
			await expect(display.community).toHaveText('幸福里社区（新）', {
				timeout: (CHECK_SECONDS + 3) * 1000
			});
			await expect(display.offlineHint).toBeHidden();
		} finally {
			restore();
		}
	});

	const frames = await display.blankFrames();
	expect(frames.blank).toBe(0);
});

/** Pictures kept in the display's IndexedDB. */
function storedPictures(): Promise<number> {
	return new Promise((resolve) => {
		const open = indexedDB.open('credit-shop-display');
		open.onerror = () => resolve(0);
		open.onsuccess = () => {
			const db = open.result;
			if (!db.objectStoreNames.contains('images')) {
				db.close();
				resolve(0);
				return;
			}
			const count = db.transaction('images').objectStore('images').count();
			count.onsuccess = () => {
				resolve(count.result);
				db.close();
			};
			count.onerror = () => resolve(0);
		};
	});
}
