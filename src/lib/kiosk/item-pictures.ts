/**
 * Item pictures on the kiosk with the network gone. One path: the service worker answers picture
 * requests cache-first from one named cache (vite.config.ts), and the kiosk fills that cache with
 * every item's picture after each pull, so a picture no one has looked at yet still shows offline,
 * and drops pictures no item uses any more (a changed picture has a new name), so the cache stays
 * the size of the catalogue. Nothing here imports `$lib`: vite.config.ts reads the names.
 */

/** The Cache Storage cache the service worker reads and the kiosk fills. */
export const ITEM_PICTURE_CACHE = 'item-pictures';

/**
 * Our own picture addresses: uploads (/media/items/<hash>) and the demo's drawn ones
 * (/demo/items/<id>.svg). Workbox tests a RegExp route against the whole address.
 */
export const ITEM_PICTURE_URL = /^https?:\/\/[^/]+\/(?:media|demo)\/items\/[^/?#]+$/;

export interface PictureCacheStorage {
	open(name: string): Promise<Pick<Cache, 'keys' | 'match' | 'put' | 'delete'>>;
}

export interface ItemPictureWarmerOptions {
	/** The page's origin, to make absolute addresses of the items' relative ones. */
	origin: string;
	caches: PictureCacheStorage;
	fetch?: typeof fetch;
}

export interface WarmResult {
	fetched: number;
	failed: number;
	dropped: number;
}

export class ItemPictureWarmer {
	readonly #origin: string;
	readonly #caches: PictureCacheStorage;
	readonly #fetch: typeof fetch;
	/** One warm at a time; a call during one runs once more after it with the newest list. */
	#running: Promise<WarmResult> | null = null;
	#next: (() => Promise<readonly (string | null)[]>) | null = null;

	constructor(options: ItemPictureWarmerOptions) {
		this.#origin = options.origin;
		this.#caches = options.caches;
		this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
	}

	/** Makes the cache hold exactly the pictures `readUrls` answers (ours only). Never throws. */
	warm(readUrls: () => Promise<readonly (string | null)[]>): Promise<WarmResult> {
		if (this.#running) {
			this.#next = readUrls;
			return this.#running;
		}
		this.#running = this.#warmNow(readUrls).finally(() => {
			this.#running = null;
			const next = this.#next;
			this.#next = null;
			if (next) void this.warm(next);
		});
		return this.#running;
	}

	async #warmNow(readUrls: () => Promise<readonly (string | null)[]>): Promise<WarmResult> {
		const result: WarmResult = { fetched: 0, failed: 0, dropped: 0 };
		try {
			const wanted = new Set(
				(await readUrls())
					.filter((url): url is string => url !== null)
					.map((url) => new URL(url, this.#origin).href)
					.filter((url) => ITEM_PICTURE_URL.test(url))
			);
			const cache = await this.#caches.open(ITEM_PICTURE_CACHE);
			const held = new Set((await cache.keys()).map((request) => request.url));
			for (const url of held) {
				if (wanted.has(url)) continue;
				await cache.delete(url);
				result.dropped++;
			}
			// One at a time: a first pull of a whole catalogue must not flood the counter's network.
			for (const url of wanted) {
				if (held.has(url)) continue;
				if (await this.#fetchInto(cache, url)) result.fetched++;
				else result.failed++;
			}
		} catch {
			// No Cache Storage (not a secure context) or storage full: pictures show while online.
		}
		return result;
	}

	async #fetchInto(cache: Pick<Cache, 'put'>, url: string): Promise<boolean> {
		try {
			const response = await this.#fetch(url);
			if (!response.ok || !response.headers.get('content-type')?.startsWith('image/')) {
				return false;
			}
			await cache.put(url, response);
			return true;
		} catch {
			return false;
		}
	}
}
