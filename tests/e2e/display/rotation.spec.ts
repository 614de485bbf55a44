import { test, expect } from '../fixtures/test';
import { DisplayPage, routeFeed, withoutDayParts } from './display-page';

const SIZES = [
	{ name: 'landscape', width: 1920, height: 1080 },
	{ name: 'portrait', width: 1080, height: 1920 }
] as const;

/** The kinds a feed's playlist shows in one turn: types with no content left out, repeats merged. */
function expectedOrder(feed: Record<string, unknown>): string[] {
	const playlist = feed.playlist as { slides: { type: string }[] };
	const board = feed.board as { red: unknown[]; black: unknown[] } | null;
	const count: Record<string, number> = {
		'board-red': board?.red.length ?? 0,
		'board-black': board?.black.length ?? 0,
		story: (feed.stories as unknown[]).length,
		merchants: (feed.merchants as unknown[]).length,
		buildings: (feed.buildings as unknown[]).length,
		'earn-rules': (feed.earnRules as unknown[]).length,
		'new-items': (feed.newItems as unknown[]).length
	};
	const order: string[] = [];
	for (const { type } of playlist.slides) {
		if ((count[type] ?? 0) > 0 && order[order.length - 1] !== type) order.push(type);
	}
	return order;
}

// page.route must see the feed requests, so no service worker in these.
test.use({ serviceWorkers: 'block' });

for (const size of SIZES) {
	test.describe(`${size.name} ${size.width}×${size.height}`, () => {
		test.use({ viewport: { width: size.width, height: size.height } });

		test('every slide type appears in the playlist order, with no blank frame between slides', async ({
			page,
			office
		}, testInfo) => {
			let served: Record<string, unknown> | null = null;
			await routeFeed(page, (feed) => (served = withoutDayParts(feed)));
			const display = new DisplayPage(page);
			await display.record();
			await display.open({ speed: 8 });
			await display.enroll(await office.mintEnrollCode('display'));
			await expect(display.community).toHaveText('幸福里社区');

			await expect.poll(() => served !== null).toBe(true);
			const order = expectedOrder(served!);
			expect(order).toEqual(
				expect.arrayContaining([
					'board-red',
					'board-black',
					'story',
					'merchants',
					'buildings',
					'earn-rules',
					'new-items'
				])
			);

			// One full turn after the first slide of the playlist, screenshots of each kind.
			const shot = new Set<string>();
			await expect
				.poll(
					async () => {
						const kind = await display.frontKind();
						if (kind && kind !== 'calm' && !shot.has(kind)) {
							shot.add(kind);
							await page.screenshot({
								path: testInfo.outputPath(`${size.name}-${kind}.png`),
								animations: 'allow'
							});
						}
						return order.every((kind) => shot.has(kind));
					},
					{ timeout: 60_000, intervals: [150] }
				)
				.toBe(true);
			await display.waitForSlide(order[0] as 'board-red', 30_000);
			await display.waitForMoreSlides(order.length + 2, 60_000);

			const recorded = (await display.recordedSlides()).filter((kind) => kind !== 'calm');
			const start = recorded.indexOf(order[0]!);
			// From the first slide of the playlist on, the kinds come exactly in playlist order.
			const turn = recorded.slice(start, start + order.length);
			expect(turn).toEqual(order);

			const frames = await display.blankFrames();
			expect(frames.seen).toBeGreaterThan(100);
			expect(frames.blank).toBe(0);
		});

		test('no screenshot taken during transitions is blank, black or white', async ({
			page,
			office
		}) => {
			await routeFeed(page, withoutDayParts);
			const display = new DisplayPage(page);
			await display.open({ speed: 10 });
			await display.enroll(await office.mintEnrollCode('display'));
			await display.waitForSlide('board-red', 30_000);
			const before = await display.changes();
			const samples: { spread: number; mean: number }[] = [];
			// Over six changes, and at least seven shots: on a busy machine a portrait screenshot can
			// take longer than a slide at this speed.
			while ((await display.changes()) < before + 6 || samples.length < 7) {
				samples.push(await display.screenshotSpread());
			}
			for (const { spread, mean } of samples) {
				expect(spread).toBeGreaterThan(20);
				expect(mean).toBeGreaterThan(30);
				expect(mean).toBeLessThan(250);
			}
		});
	});
}
