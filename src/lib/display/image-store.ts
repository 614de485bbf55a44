/**
 * The pictures of the current feed, kept as blobs in the display's database so that they show with
 * the network gone, and handed to slides as object URLs. A picture that cannot be fetched or is not
 * an image resolves to null: the slide shows its drawn placeholder, never a broken-image icon.
 */
import type { DisplayDb } from './display-db';

const FETCH_TIMEOUT_MS = 15_000;
/** A picture larger than this is not kept (a lobby photo is a few hundred kB). */
const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

export interface ImageStoreOptions {
	db: DisplayDb;
	fetch?: typeof fetch;
	/** Object URLs; tests in Node pass their own. */
	createObjectURL?: (blob: Blob) => string;
	revokeObjectURL?: (url: string) => void;
}

export class ImageStore {
	readonly #db: DisplayDb;
	readonly #fetch: typeof fetch;
	readonly #create: (blob: Blob) => string;
	readonly #revoke: (url: string) => void;
	readonly #objectUrls = new Map<string, string>();
	/** Object URLs of pictures the feed no longer shows; revoked one feed later, once off screen. */
	#retired: string[] = [];

	constructor(options: ImageStoreOptions) {
		this.#db = options.db;
		this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
		this.#create = options.createObjectURL ?? ((blob) => URL.createObjectURL(blob));
		this.#revoke = options.revokeObjectURL ?? ((url) => URL.revokeObjectURL(url));
	}

	/** The object URL to show for a feed's picture address, or null for the placeholder. */
	resolve(url: string | null): string | null {
		return url === null ? null : (this.#objectUrls.get(url) ?? null);
	}

	/** A picture that failed to decode shows the placeholder from now on. */
	markBroken(url: string): void {
		const objectUrl = this.#objectUrls.get(url);
		if (objectUrl === undefined) return;
		this.#objectUrls.delete(url);
		this.#retired.push(objectUrl);
		void this.#db.images.delete(url).catch(() => undefined);
	}

	/**
	 * Makes each picture showable: from the database, else (when `fetchMissing`) fetched and
	 * stored. One failing picture never stops the others.
	 */
	async prepare(urls: readonly string[], fetchMissing: boolean): Promise<void> {
		const missing = urls.filter((url) => !this.#objectUrls.has(url));
		if (missing.length === 0) return;
		const stored = await this.#db.images.bulkGet(missing);
		await Promise.all(
			missing.map(async (url, i) => {
				const blob = stored[i]?.blob ?? (fetchMissing ? await this.#download(url) : null);
				if (blob && !this.#objectUrls.has(url)) this.#objectUrls.set(url, this.#create(blob));
			})
		);
	}

	/** Drops the pictures a new feed no longer shows, from memory and from the database. */
	async keepOnly(urls: readonly string[]): Promise<void> {
		const keep = new Set(urls);
		for (const objectUrl of this.#retired) this.#revoke(objectUrl);
		this.#retired = [];
		for (const [url, objectUrl] of this.#objectUrls) {
			if (keep.has(url)) continue;
			this.#objectUrls.delete(url);
			this.#retired.push(objectUrl);
		}
		const storedUrls = await this.#db.images.toCollection().primaryKeys();
		await this.#db.images.bulkDelete(storedUrls.filter((url) => !keep.has(url)));
	}

	async #download(url: string): Promise<Blob | null> {
		try {
			const response = await this.#fetch(url, {
				signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
				cache: 'no-cache'
			});
			const type = response.headers.get('content-type') ?? '';
			if (!response.ok || !type.startsWith('image/')) return null;
			const blob = await response.blob();
			if (blob.size === 0 || blob.size > MAX_IMAGE_BYTES) return null;
			await this.#db.images.put({ url, blob, storedAt: new Date().toISOString() });
			return blob;
		} catch {
			return null;
		}
	}
}
