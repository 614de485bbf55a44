import { test, expect } from '../fixtures/test';
import { DisplayPage, routeFeed, withoutDayParts } from './display-page';

// page.route must see the feed requests, so no service worker here.
test.use({ serviceWorkers: 'block', viewport: { width: 1080, height: 1920 } });

/** Only the red board, long enough to need several pages, shown for the longest a slide may last. */
function longRedBoard(feed: Record<string, unknown>): Record<string, unknown> {
	const plain = withoutDayParts(feed);
	const board = plain.board as { red: unknown[] } & Record<string, unknown>;
	const red = Array.from({ length: 60 }, (_, index) => board.red[index % board.red.length]);
	const playlist = plain.playlist as Record<string, unknown>;
	return {
		...plain,
		board: { ...board, red },
		playlist: { ...playlist, slides: [{ type: 'board-red', seconds: 600 }] }
	};
}

/** How far the front slide's rows reach past its bottom edge (≤ 0: every row fits). */
async function rowsOverflow(display: DisplayPage): Promise<number> {
	return display.frontLayer.evaluate((layer) => {
		const bottom = layer.getBoundingClientRect().bottom;
		const rows = Array.from(layer.querySelectorAll('li'));
		return Math.max(-1, ...rows.map((row) => row.getBoundingClientRect().bottom - bottom));
	});
}

test('a TV turned from portrait to landscape lays the slide on screen out again, without a reload', async ({
	page,
	office
}) => {
	await routeFeed(page, longRedBoard);
	const display = new DisplayPage(page);
	await display.open();
	await display.enroll(await office.mintEnrollCode('display'));
	await display.waitForSlide('board-red');
	await expect.poll(() => rowsOverflow(display)).toBeLessThanOrEqual(0);
	await page.screenshot({ path: 'test-results/display-turned-1080x1920.png' });
	const changes = await display.changes();

	await page.setViewportSize({ width: 1920, height: 1080 });

	// The same slide, not the next one: laid out for the new size.
	await expect.poll(() => rowsOverflow(display)).toBeLessThanOrEqual(0);
	expect(await display.changes()).toBe(changes);
	await expect(display.frontLayer).toHaveAttribute('data-slide', 'board-red');
	const box = await display.frontLayer.boundingBox();
	expect(box?.width).toBeGreaterThan(1900);
	await page.screenshot({ path: 'test-results/display-turned-1920x1080.png' });
});
