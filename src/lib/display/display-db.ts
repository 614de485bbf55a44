/**
 * The lobby display's own small database (IndexedDB through Dexie): its device identity, the last
 * good feed exactly as the server sent it, and the pictures that feed shows. With these a TV keeps
 * rotating its slides with the network gone, across reloads and browser restarts. It is separate
 * from the kiosk's database: a display has no residents, items or outbox.
 */
import { Dexie, type Table } from 'dexie';
import type { DeviceIdentity } from '$lib/terminal/enrollment';
import { readAllMetas, writeMetas, type MetaRow } from '$lib/terminal/meta-table';

export const DISPLAY_DB_NAME = 'credit-shop-display';

/** Every key of the `meta` table and the type of its value. */
export interface DisplayMetaValues {
	device: DeviceIdentity;
	/** The community's name from enrollment: shown before the first feed arrives. */
	communityName: string;
	/** The last feed that could be read, as the server sent it (read again with `salvageFeed`). */
	feed: unknown;
	/** Its version, sent back as `?since=` so an unchanged feed costs a 204. */
	feedVersion: string;
	/** Server time (ISO) of the last answer from the server. */
	lastContactAt: string;
	/** Server clock minus device clock, when they differ by more than a minute; else 0. */
	clockOffsetMs: number;
	/** The server refused the token (revoked, or not a display's): enroll again. */
	needsEnrollment: boolean;
}
export type DisplayMetaKey = keyof DisplayMetaValues;

export type DisplayMetaRow = MetaRow<DisplayMetaKey>;

/** A picture of the feed, kept so that it shows offline. */
export interface StoredImage {
	url: string;
	blob: Blob;
	storedAt: string;
}

export interface DisplayDbOptions {
	name?: string;
	indexedDB?: IDBFactory;
	IDBKeyRange?: typeof IDBKeyRange;
}

export class DisplayDb extends Dexie {
	meta!: Table<DisplayMetaRow, DisplayMetaKey>;
	images!: Table<StoredImage, string>;

	constructor(options: DisplayDbOptions = {}) {
		super(options.name ?? DISPLAY_DB_NAME, {
			...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
			...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {})
		});
		this.version(1).stores({ meta: 'key', images: 'url' });
	}
}

export function readDisplayMeta(db: DisplayDb): Promise<Partial<DisplayMetaValues>> {
	return readAllMetas<DisplayMetaValues>(db.meta);
}

export function writeDisplayMeta(db: DisplayDb, values: Partial<DisplayMetaValues>): Promise<void> {
	return writeMetas<DisplayMetaValues>(db.meta, values);
}
