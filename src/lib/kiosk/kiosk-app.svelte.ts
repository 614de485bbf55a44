/**
 * The kiosk app's root: opens the local database and the sync engine, and builds the two ports
 * the sessions work against (the counter's and the shop's). The one place in the kiosk that
 * knows the local-data modules; everything else talks to `CounterPort` and `ShopPort`.
 */
import { DEFAULT_TIME_ZONE } from '$lib/domain/business-date';
import { ApiClient } from '$lib/terminal/api-client';
import { requestPersistentStorage } from '$lib/terminal/persistence';
import { getMeta, openKioskDb, type KioskDb } from './local-db';
import { SyncEngine } from './sync-client';
import type { CounterPort } from './counter-port';
import { ItemPictureWarmer } from './item-pictures';
import { localCounterPort } from './local-counter-port';
import { localShopPort } from './shop/local-shop-port';
import type { ShopPort } from './shop/shop-port';
import type { SyncStatusSource } from './sync-status.svelte';

export class KioskApp {
	readonly db: KioskDb;
	readonly engine: SyncEngine;
	readonly counter: CounterPort;
	readonly shop: ShopPort;
	#ready = $state(false);
	#timeZone = $state(DEFAULT_TIME_ZONE);

	constructor() {
		this.db = openKioskDb();
		const api = new ApiClient();
		this.engine = new SyncEngine({ db: this.db, api });
		this.counter = localCounterPort(this.db, api, this.engine);
		this.shop = localShopPort(this.db, this.engine);
	}

	/** True once the local database has been read, so the kiosk knows whether it is enrolled. */
	get ready(): boolean {
		return this.#ready;
	}

	/**
	 * The community's time zone, from the community snapshot the kiosk has pulled: every time the
	 * counter and shop mode show is on the community's clock, whatever zone the kiosk runs in.
	 */
	get timeZone(): string {
		return this.#timeZone;
	}

	get sync(): SyncStatusSource {
		return this.engine;
	}

	start(): () => void {
		const stopWarming = this.#keepItemPicturesOffline();
		const stopZone = this.engine.on('pulled', () => void this.#readTimeZone());
		void (async () => {
			await this.#readTimeZone();
			await this.engine.refresh();
			this.#ready = true;
			this.engine.start();
			if (!(await getMeta(this.db, 'device'))) return;
			await requestPersistentStorage();
		})();
		return () => {
			stopWarming();
			stopZone();
			this.engine.stop();
		};
	}

	async #readTimeZone(): Promise<void> {
		const community = await getMeta(this.db, 'community');
		if (community) this.#timeZone = community.timeZone;
	}

	/** After every complete pull, the cache holds every item's picture (item-pictures.ts). */
	#keepItemPicturesOffline(): () => void {
		if (typeof caches === 'undefined') return () => undefined;
		const warmer = new ItemPictureWarmer({ origin: location.origin, caches });
		const readUrls = async () => (await this.db.items.toArray()).map((item) => item.imageUrl);
		void warmer.warm(readUrls);
		return this.engine.on('pulled', (pulled) => {
			if (!pulled.hasMore) void warmer.warm(readUrls);
		});
	}
}
