import { describe, expect, it } from 'vitest';
import { LIST_GEOMETRY, listLayout, orientationOf, pageCount, pageOf } from './board-paging';

const LANDSCAPE = { width: 1920, height: 1080 };
const PORTRAIT = { width: 1080, height: 1920 };

describe('listLayout', () => {
	it('tells landscape from portrait', () => {
		expect(orientationOf(LANDSCAPE)).toBe('landscape');
		expect(orientationOf(PORTRAIT)).toBe('portrait');
		expect(orientationOf({ width: 800, height: 800 })).toBe('landscape');
	});

	it('shows the red board in two columns on a landscape TV and one tall column on a portrait one', () => {
		expect(listLayout('board-red', LANDSCAPE)).toMatchObject({ columns: 2, rows: 4, perPage: 8 });
		expect(listLayout('board-red', PORTRAIT)).toMatchObject({ columns: 1, rows: 10, perPage: 10 });
	});

	it('fits more one-line black entries than two-line red ones', () => {
		expect(listLayout('board-black', LANDSCAPE).perPage).toBeGreaterThan(
			listLayout('board-red', LANDSCAPE).perPage
		);
		expect(listLayout('board-black', PORTRAIT).perPage).toBeGreaterThan(
			listLayout('board-red', PORTRAIT).perPage
		);
	});

	it('depends on the shape of the screen, not its resolution: a 4K TV reads like a 1080p one', () => {
		for (const kind of Object.keys(LIST_GEOMETRY) as (keyof typeof LIST_GEOMETRY)[]) {
			expect(listLayout(kind, { width: 3840, height: 2160 })).toEqual(listLayout(kind, LANDSCAPE));
			expect(listLayout(kind, { width: 2160, height: 3840 })).toEqual(listLayout(kind, PORTRAIT));
		}
	});

	it('keeps at least one entry a page on an odd or zero-sized window', () => {
		expect(listLayout('new-items', { width: 1000, height: 300 }).perPage).toBeGreaterThanOrEqual(1);
		expect(listLayout('board-red', { width: 0, height: 0 }).perPage).toBeGreaterThanOrEqual(1);
	});
});

describe('paging', () => {
	const entries = (n: number) => Array.from({ length: n }, (_, i) => i);

	it('has no page for an empty board, so its slide is skipped', () => {
		expect(pageCount(0, 8)).toBe(0);
		expect(pageOf([], 8, 0)).toEqual([]);
	});

	it('pages 500 entries at the same size as 5, never more a page', () => {
		const perPage = listLayout('board-red', LANDSCAPE).perPage;
		const all = entries(500);
		const pages = pageCount(all.length, perPage);
		expect(pages).toBe(Math.ceil(500 / perPage));
		const seen: number[] = [];
		for (let page = 0; page < pages; page++) {
			const slice = pageOf(all, perPage, page);
			expect(slice.length).toBeLessThanOrEqual(perPage);
			expect(slice.length).toBeGreaterThan(0);
			seen.push(...slice);
		}
		expect(seen).toEqual(all);
	});

	it('balances the pages instead of leaving one entry alone on the last', () => {
		const all = entries(13);
		expect(pageOf(all, 12, 0)).toHaveLength(7);
		expect(pageOf(all, 12, 1)).toEqual([7, 8, 9, 10, 11, 12]);
	});

	it('wraps a page number beyond the end', () => {
		expect(pageOf(entries(10), 4, 3)).toEqual(pageOf(entries(10), 4, 0));
		expect(pageOf(entries(10), 4, -1)).toEqual(pageOf(entries(10), 4, 2));
	});
});
