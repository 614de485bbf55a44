import { describe, expect, it } from 'vitest';
import { ITEM_PICTURE_CACHE, ITEM_PICTURE_URL, ItemPictureWarmer } from './item-pictures';

const ORIGIN = 'http://kiosk.test';

/** Cache Storage as a map of URL → response, enough for the warmer. */
function fakeCaches() {
	const stores = new Map<string, Map<string, Response>>();
	const caches = {
		async open(name: string) {
			const store = stores.get(name) ?? new Map<string, Response>();
			stores.set(name, store);
			return {
				async keys() {
					return [...store.keys()].map((url) => new Request(url));
				},
				async match(request: RequestInfo | URL) {
					return store.get(String(request instanceof Request ? request.url : request));
				},
				async put(request: RequestInfo | URL, response: Response) {
					store.set(String(request instanceof Request ? request.url : request), response);
				},
				async delete(request: RequestInfo | URL) {
					return store.delete(String(request instanceof Request ? request.url : request));
				}
			};
		}
	};
	const held = () => [...(stores.get(ITEM_PICTURE_CACHE)?.keys() ?? [])].sort();
	return { caches, held };
}

function fakeFetch(broken: readonly string[] = []) {
	const asked: string[] = [];
	const fetch = (async (input: RequestInfo | URL) => {
		const url = String(input);
		asked.push(url);
		if (broken.some((part) => url.includes(part))) return new Response('gone', { status: 404 });
		if (url.includes('not-a-picture')) {
			return new Response('<html>', { headers: { 'content-type': 'text/html' } });
		}
		return new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'image/png' } });
	}) as typeof globalThis.fetch;
	return { fetch, asked };
}

describe('ItemPictureWarmer', () => {
	it("fetches every item's own picture once, and nothing else", async () => {
		const { caches, held } = fakeCaches();
		const { fetch, asked } = fakeFetch();
		const warmer = new ItemPictureWarmer({ origin: ORIGIN, caches, fetch });
		const urls = [
			`/media/items/${'a'.repeat(32)}.webp`,
			'/demo/items/3.svg',
			null,
			'https://elsewhere.example/picture.png',
			'/admin/items/1'
		];

		expect(await warmer.warm(async () => urls)).toEqual({ fetched: 2, failed: 0, dropped: 0 });
		expect(held()).toEqual([
			`${ORIGIN}/demo/items/3.svg`,
			`${ORIGIN}/media/items/${'a'.repeat(32)}.webp`
		]);
		await warmer.warm(async () => urls);
		expect(asked).toHaveLength(2);
	});

	it('drops pictures no item uses any more and keeps a failed one for the next pull', async () => {
		const { caches, held } = fakeCaches();
		const { fetch } = fakeFetch(['missing']);
		const warmer = new ItemPictureWarmer({ origin: ORIGIN, caches, fetch });
		await warmer.warm(async () => ['/demo/items/1.svg', '/demo/items/2.svg']);

		const result = await warmer.warm(async () => [
			'/demo/items/2.svg',
			'/media/items/missing.png',
			'/media/items/not-a-picture.png'
		]);
		expect(result).toEqual({ fetched: 0, failed: 2, dropped: 1 });
		expect(held()).toEqual([`${ORIGIN}/demo/items/2.svg`]);
	});

	it('runs one warm at a time and then once more with the newest list', async () => {
		const { caches, held } = fakeCaches();
		const { fetch } = fakeFetch();
		const warmer = new ItemPictureWarmer({ origin: ORIGIN, caches, fetch });
		const first = warmer.warm(async () => ['/demo/items/1.svg']);
		void warmer.warm(async () => ['/demo/items/9.svg']);
		await first;
		await expect.poll(held).toEqual([`${ORIGIN}/demo/items/9.svg`]);
	});

	it('matches the addresses the service worker serves from the cache', () => {
		expect(ITEM_PICTURE_URL.test(`${ORIGIN}/media/items/${'b'.repeat(32)}.jpg`)).toBe(true);
		expect(ITEM_PICTURE_URL.test(`${ORIGIN}/demo/items/12.svg`)).toBe(true);
		expect(ITEM_PICTURE_URL.test(`${ORIGIN}/admin/media/items/x.jpg`)).toBe(false);
		expect(ITEM_PICTURE_URL.test(`${ORIGIN}/media/items/`)).toBe(false);
	});
});
