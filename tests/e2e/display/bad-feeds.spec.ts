import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures/test';
import type { Office } from '../fixtures/office';
import { DisplayPage, routeFeed, withoutDayParts, type SlideKind } from './display-page';

type Feed = Record<string, unknown>;
type Story = Record<string, unknown>;

// page.route must see the feed requests, so no service worker here.
test.use({ serviceWorkers: 'block', viewport: { width: 1920, height: 1080 } });

/** A display enrolled and shown `change(feed)` instead of the server's feed, at test speed. */
async function displayWith(
	page: Page,
	office: Office,
	change: (feed: Feed) => unknown,
	options: { speed?: number; check?: number } = {}
): Promise<DisplayPage> {
	await routeFeed(page, (feed) => change(withoutDayParts(feed)));
	const display = new DisplayPage(page);
	await display.record();
	await display.open({ speed: options.speed ?? 10, check: options.check });
	await display.enroll(await office.mintEnrollCode('display'));
	return display;
}

function onlySlides(feed: Feed, ...types: string[]): Feed {
	const playlist = feed.playlist as Record<string, unknown>;
	return {
		...feed,
		playlist: { ...playlist, slides: types.map((type) => ({ type, seconds: 8 })) }
	};
}

async function seenKinds(display: DisplayPage, slides: number): Promise<Set<string>> {
	await display.waitForMoreSlides(slides, 45_000);
	return new Set(await display.recordedSlides());
}

test('missing fields drop only their entries; the rest of the feed shows', async ({
	page,
	office
}) => {
	const display = await displayWith(page, office, (feed) => {
		const stories = (feed.stories as Story[]).map((story, i) => {
			if (i !== 0) return story;
			const broken = { ...story };
			delete broken.title;
			return broken;
		});
		const board = { ...(feed.board as Feed) };
		delete board.black;
		const broken: Feed = { ...feed, stories, board };
		delete broken.merchants;
		delete broken.generatedAt;
		return broken;
	});
	const seen = await seenKinds(display, 12);
	expect(seen).toContain('board-red');
	expect(seen).toContain('story');
	expect(seen).toContain('earn-rules');
	expect(seen).not.toContain('board-black');
	expect(seen).not.toContain('merchants');
	await expect(display.community).toHaveText('幸福里社区');
});

test('unknown slide types are skipped and the known ones play', async ({ page, office }) => {
	const display = await displayWith(page, office, (feed) => ({
		...onlySlides(feed, 'weather', 'merchants', 'video', 'buildings'),
		futureField: { anything: true }
	}));
	const seen = await seenKinds(display, 6);
	seen.delete('calm');
	expect([...seen].sort()).toEqual(['buildings', 'merchants']);
});

test('a broken picture address shows the drawn placeholder, never a broken image', async ({
	page,
	office
}) => {
	const display = await displayWith(page, office, (feed) => ({
		...onlySlides(feed, 'story', 'new-items'),
		stories: (feed.stories as Story[]).map((story, i) => ({
			...story,
			photoUrl: i % 2 === 0 ? `/demo/stories/99999${i}.svg` : 'javascript:alert(1)'
		})),
		newItems: (feed.newItems as Story[]).map((item) => ({ ...item, imageUrl: '/nowhere.png' }))
	}));
	for (const kind of ['story', 'new-items'] as const) {
		await display.waitForSlide(kind);
		await expect(display.frontLayer.getByTestId('display-placeholder').first()).toBeVisible();
		expect(await display.frontLayer.locator('img').count()).toBe(0);
	}
});

test('a story of 10,000 characters is shown as a readable excerpt that fits the screen', async ({
	page,
	office
}) => {
	const long = '老李每天清晨打扫楼道，二十年如一日，邻居们都很感动。'.repeat(400).slice(0, 10_000);
	const display = await displayWith(page, office, (feed) => ({
		...onlySlides(feed, 'story'),
		stories: (feed.stories as Story[]).map((story) => ({ ...story, text: long }))
	}));
	await display.waitForSlide('story');
	const text = display.frontLayer.locator('.text');
	const shown = (await text.textContent()) ?? '';
	expect(shown.length).toBeLessThanOrEqual(150);
	expect(shown.endsWith('…')).toBe(true);
	const box = await text.boundingBox();
	expect(box && box.y + box.height).toBeLessThanOrEqual(1080);
	expect(await text.evaluate((element) => parseFloat(getComputedStyle(element).fontSize))).toBe(44);
});

test('HTML and script in any text are shown as text and never run', async ({ page, office }) => {
	const script = '<script>window.__hacked=1</script>';
	const image = '<img src=x onerror="window.__hacked=2">';
	const display = await displayWith(page, office, (feed) => {
		const board = feed.board as { red: Story[]; black: Story[] };
		return {
			...onlySlides(feed, 'board-red', 'story', 'merchants'),
			community: { ...(feed.community as Feed), name: '<b>幸福里</b>' },
			board: {
				...board,
				red: board.red.map((entry, i) => (i === 0 ? { ...entry, reason: image } : entry))
			},
			stories: (feed.stories as Story[]).map((story) => ({ ...story, text: script + image })),
			merchants: (feed.merchants as Story[]).map((place, i) =>
				i === 0 ? { ...place, name: '<i>x</i>' } : place
			)
		};
	});
	await expect(display.community).toHaveText('<b>幸福里</b>');
	await display.waitForSlide('board-red');
	await expect(display.frontLayer).toContainText('onerror');
	await display.waitForSlide('story');
	await expect(display.frontLayer).toContainText('<script>');
	await display.waitForSlide('merchants');
	await expect(display.frontLayer).toContainText('<i>x</i>');
	expect(await page.evaluate(() => (window as { __hacked?: number }).__hacked)).toBeUndefined();
	expect(
		await page.locator('[data-testid="display"] script, [data-testid="display"] i').count()
	).toBe(0);
});

test('an empty board is skipped, and a board of 500 pages through at full size', async ({
	page,
	office
}) => {
	let entries = 0;
	const display = await displayWith(page, office, (feed) => {
		const board = feed.board as Feed;
		const red = Array.from({ length: entries }, (_, i) => ({
			maskedName: `张*${i}`,
			building: `${(i % 20) + 1}栋`,
			reason: '楼道清扫志愿者'
		}));
		return {
			...onlySlides(feed, 'board-red', 'board-black', 'earn-rules'),
			board: { ...board, red, black: [] }
		};
	});
	const emptyTurn = await seenKinds(display, 3);
	expect(emptyTurn).not.toContain('board-red');
	expect(emptyTurn).not.toContain('board-black');
	expect(emptyTurn).toContain('earn-rules');

	// The next check brings the long board; it shows from the next slide on.
	entries = 500;
	await page.evaluate(() => window.dispatchEvent(new Event('online')));
	await display.waitForSlide('board-red', 30_000);
	await expect(display.frontLayer.getByTestId('display-page')).toHaveText('第 1 / 63 页');
	await expect(display.frontLayer.locator('li')).toHaveCount(8);
	const nameSize = await display.frontLayer
		.locator('.name')
		.first()
		.evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
	expect(nameSize).toBe(58);
	for (const item of await display.frontLayer.locator('li').all()) {
		const box = await item.boundingBox();
		expect(box && box.y + box.height).toBeLessThanOrEqual(1080);
	}
});

test('an empty or unreadable feed shows the calm slide with the community name and clock', async ({
	page,
	office
}) => {
	let answer: unknown = { nothing: 'here' };
	const display = await displayWith(page, office, () => answer);
	await expect(display.frontLayer).toHaveAttribute('data-slide', 'calm');
	await expect(display.frontLayer).toContainText('幸福里社区');
	await expect(display.frontLayer).toContainText(/\d{2}:\d{2}/);
	// The calm slide's large clock is the only one: the frame's small clock steps aside.
	await expect(display.clock).toBeHidden();
	await page.screenshot({ path: 'test-results/display-calm.png' });
	answer = {
		version: 'empty',
		community: { id: 1, name: '幸福里社区', timeZone: 'Asia/Shanghai' }
	};
	await page.evaluate(() => window.dispatchEvent(new Event('online')));
	await display.waitForMoreSlides(2);
	expect(new Set(await display.recordedSlides())).toEqual(new Set(['calm']));
});

for (const failure of ['answers 500', 'hangs'] as const) {
	test(`when the server ${failure}, the display keeps rotating what it has and says it is offline`, async ({
		page,
		office
	}) => {
		const CHECK_SECONDS = 3;
		const display = await displayWith(page, office, (feed) => feed, { check: CHECK_SECONDS });
		await expect(display.freshness).toContainText('内容更新于');
		await display.waitForSlide('board-red' satisfies SlideKind);
		await page.unroute('**/api/display/feed*');
		await page.route('**/api/display/feed*', async (route) => {
			if (failure === 'answers 500') {
				await route.fulfill({ status: 500, json: { error: 'internal', message: '出错了' } });
			}
			// A hanging server: the request is never answered; the display's timeout ends it.
		});
		await page.evaluate(() => window.dispatchEvent(new Event('online')));
		await expect(display.offlineHint).toBeVisible({ timeout: 15_000 });
		await display.waitForMoreSlides(4);
		await expect(display.community).toHaveText('幸福里社区');
		expect(new Set(await display.recordedSlides()).size).toBeGreaterThan(2);
	});
}

test('a device clock wrong by a day still shows the right time, by the server’s clock', async ({
	page,
	office
}) => {
	await page.addInitScript(() => {
		const DAY = 24 * 60 * 60 * 1000;
		const RealDate = Date;
		class ShiftedDate extends RealDate {
			constructor(...args: unknown[]) {
				if (args.length === 0) super(RealDate.now() + DAY);
				else super(...(args as [string]));
			}
			static now() {
				return RealDate.now() + DAY;
			}
		}
		window.Date = ShiftedDate as DateConstructor;
	});
	const display = await displayWith(page, office, (feed) => feed);
	await expect(display.freshness).toContainText('内容更新于');
	const today = new Intl.DateTimeFormat('zh-CN', {
		timeZone: 'Asia/Shanghai',
		month: 'numeric',
		day: 'numeric'
	})
		.formatToParts(new Date())
		.reduce(
			(text, part) =>
				text +
				(part.type === 'month' ? `${part.value}月` : part.type === 'day' ? `${part.value}日` : ''),
			''
		);
	await expect(display.freshness).toContainText(today);
	await expect(page.getByTestId('display-date')).toContainText(today);
	const shanghaiNow = new Intl.DateTimeFormat('en-GB', {
		timeZone: 'Asia/Shanghai',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).format(new Date());
	const [hours, minutes] = shanghaiNow.split(':').map(Number) as [number, number];
	const shown = ((await display.clock.textContent()) ?? '').split(':').map(Number) as [
		number,
		number
	];
	const difference = Math.abs(hours * 60 + minutes - (shown[0] * 60 + shown[1]));
	expect(Math.min(difference, 24 * 60 - difference)).toBeLessThanOrEqual(1);
	await display.waitForMoreSlides(3);
});
