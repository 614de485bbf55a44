import { describe, expect, it } from 'vitest';
import { sampleFeed } from '$lib/protocol/testing/sample-feed';
import { SLIDE_TYPES } from '$lib/protocol/display-feed';
import {
	DEFAULT_SLIDE_SECONDS,
	TEXT_LIMITS,
	feedImageUrls,
	safeImageUrl,
	salvageFeed
} from './display-feed-salvage';

/** A deep copy of the sample feed as loose JSON, to break on purpose. */
function looseFeed(): Record<string, unknown> {
	return JSON.parse(JSON.stringify(sampleFeed())) as Record<string, unknown>;
}

describe('salvageFeed', () => {
	it('keeps every part of a valid feed', () => {
		const content = salvageFeed(sampleFeed());
		expect(content).not.toBeNull();
		expect(content?.version).toBe('v-sample-1');
		expect(content?.community).toEqual({ name: '幸福里社区', timeZone: 'Asia/Shanghai' });
		expect(content?.playlist.slides).toHaveLength(7);
		expect(content?.board?.red).toHaveLength(3);
		expect(content?.board?.black).toHaveLength(2);
		expect(content?.stories.map((story) => story.id)).toEqual([1, 2]);
		expect(content?.merchants).toHaveLength(2);
		expect(content?.buildings).toHaveLength(2);
		expect(content?.earnRules).toHaveLength(3);
		expect(content?.newItems).toHaveLength(2);
		expect(content?.links.board).toBe('https://example.org/board');
	});

	it('refuses what is not a feed at all, so the last good one stays', () => {
		for (const raw of [null, 'oops', 42, [], {}, { stories: [] }]) {
			expect(salvageFeed(raw)).toBeNull();
		}
	});

	it('drops entries with missing fields and keeps the others', () => {
		const raw = looseFeed();
		const board = raw.board as { red: Record<string, unknown>[]; black: unknown[] };
		delete board.red[1]?.reason;
		board.black.push({ category: '高空抛物' });
		const stories = raw.stories as Record<string, unknown>[];
		delete stories[0]?.title;
		(raw.merchants as unknown[]).push({ id: 9, name: '无星商户' });
		(raw.newItems as unknown[]).push({ name: '没有编号', points: 5, imageUrl: null });
		const content = salvageFeed(raw);
		expect(content?.board?.red.map((entry) => entry.maskedName)).toEqual(['张*凤', '王*']);
		expect(content?.board?.black).toHaveLength(2);
		expect(content?.stories.map((story) => story.id)).toEqual([2]);
		expect(content?.merchants).toHaveLength(2);
		expect(content?.newItems).toHaveLength(2);
	});

	it('skips unknown slide types, clamps seconds and keeps the known slides in order', () => {
		const raw = looseFeed();
		raw.playlist = {
			slides: [
				{ type: 'weather', seconds: 10 },
				{ type: 'story', seconds: 1 },
				{ type: 'merchants' },
				{ type: 'board-red', seconds: 99_999 },
				'board-black'
			],
			dayParts: [
				{ from: '22:00', to: '06:00', mode: 'dim' },
				{ from: '8 am', mode: 'calm' }
			]
		};
		const content = salvageFeed(raw);
		expect(content?.playlist.slides).toEqual([
			{ type: 'story', seconds: 3 },
			{ type: 'merchants', seconds: DEFAULT_SLIDE_SECONDS },
			{ type: 'board-red', seconds: 600 }
		]);
		expect(content?.playlist.dayParts).toEqual([{ from: '22:00', to: '06:00', mode: 'dim' }]);
	});

	it('plays every type in the default order when the playlist is missing', () => {
		const raw = looseFeed();
		delete raw.playlist;
		expect(salvageFeed(raw)?.playlist.slides.map((slide) => slide.type)).toEqual([...SLIDE_TYPES]);
	});

	it('fills a missing community, time zone and lists with safe defaults', () => {
		const content = salvageFeed({ version: 'v1' });
		expect(content).toMatchObject({
			version: 'v1',
			generatedAt: null,
			community: { name: '', timeZone: 'Asia/Shanghai' },
			board: null,
			stories: [],
			links: { board: null }
		});
		const raw = looseFeed();
		raw.community = { name: '幸福里社区', timeZone: 'Mars/Olympus' };
		expect(salvageFeed(raw)?.community.timeZone).toBe('Asia/Shanghai');
	});

	it('shows a 10,000-character story as a readable excerpt', () => {
		const raw = looseFeed();
		const long = (raw.stories as Record<string, unknown>[])[0] ?? {};
		long.text = '好人好事，邻里传颂。'.repeat(1000);
		const story = salvageFeed(raw)?.stories[0];
		expect(Array.from(story?.text ?? '').length).toBeLessThanOrEqual(TEXT_LIMITS.storyText);
		expect(story?.text.endsWith('…')).toBe(true);
	});

	it('keeps HTML and script in texts as plain characters (the UI renders text, never HTML)', () => {
		const raw = looseFeed();
		const story = (raw.stories as Record<string, unknown>[])[0] ?? {};
		story.title = '<b>好</b>';
		story.text = '<script>alert(1)</script><img src=x onerror=alert(2)>';
		const shown = salvageFeed(raw)?.stories[0];
		expect(shown?.title).toBe('<b>好</b>');
		expect(shown?.text).toBe('<script>alert(1)</script><img src=x onerror=alert(2)>');
	});

	it('loads only images from our own paths or http(s), and links only over http(s)', () => {
		expect(safeImageUrl('/demo/stories/1.svg')).toBe('/demo/stories/1.svg');
		expect(safeImageUrl('https://cdn.example.org/a.jpg')).toBe('https://cdn.example.org/a.jpg');
		for (const bad of [
			'//evil.example/a.png',
			'javascript:alert(1)',
			'data:image/png;base64,x',
			3
		]) {
			expect(safeImageUrl(bad)).toBeNull();
		}
		const raw = looseFeed();
		const linked = (raw.stories as Record<string, unknown>[])[0] ?? {};
		linked.link = 'javascript:alert(1)';
		(raw.links as Record<string, unknown>).board = 42;
		const content = salvageFeed(raw);
		expect(content?.stories[0]?.link).toBeNull();
		expect(content?.links.board).toBeNull();
	});

	it('keeps a board of 500 entries whole (paging is the player’s job) and a board of none', () => {
		const raw = looseFeed();
		const red = Array.from({ length: 500 }, (_, i) => ({
			maskedName: `张*${i}`,
			building: `${(i % 20) + 1}栋`,
			reason: '义务劳动'
		}));
		raw.board = { quarter: '2026-Q4', title: '红黑榜', red, black: [] };
		expect(salvageFeed(raw)?.board?.red).toHaveLength(500);
		raw.board = { quarter: '2026-Q4', title: '红黑榜', red: [], black: [] };
		expect(salvageFeed(raw)?.board).toMatchObject({ red: [], black: [] });
	});

	it('lists each image once for the offline cache', () => {
		const content = salvageFeed(sampleFeed());
		expect(content && feedImageUrls(content)).toEqual([
			'/demo/stories/1.svg',
			'/demo/stories/2.svg',
			'/demo/items/11.svg'
		]);
	});
});
