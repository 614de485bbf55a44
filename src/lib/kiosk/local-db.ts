/**
 * The kiosk's own database (IndexedDB through Dexie). It holds what the counter needs to work
 * for days without the network: the community, resident, item and staff snapshots from the last
 * pull, this kiosk's redemptions and shop-mode records (stock movements, voids, day closings),
 * the outbox of events not yet acknowledged, the rejected events that shop mode must show, and
 * the staff PIN lock-out state.
 */
import { Dexie, type Table } from 'dexie';
import {
	readAllMetas,
	readMeta,
	readMetas,
	type MetaRow as MetaRowOf
} from '$lib/terminal/meta-table';
import type { DeviceEvent } from '$lib/protocol/events';
import type { DeviceIdentity } from '$lib/terminal/enrollment';
import type { RejectReason } from '$lib/protocol/errors';
import type { DayReport } from '$lib/protocol/day-report';
import type { ReviewFlagKind } from '$lib/protocol/review-flags';
import type { StockLossReason } from '$lib/protocol/events';
import type {
	CommunitySnapshot,
	ItemSnapshot,
	ResidentSnapshot,
	StaffSnapshot
} from '$lib/protocol/sync';

export const KIOSK_DB_NAME = 'credit-shop-kiosk';

export type { DeviceIdentity };

/** Every key of the `meta` table and the type of its value. */
export interface MetaValues {
	device: DeviceIdentity;
	community: CommunitySnapshot;
	/** The pull cursor: the highest change seq applied locally. */
	cursor: number;
	/** Device time (ISO) of the last pull that reached the end of the feed. */
	lastPullAt: string;
	lastPushAt: string;
	/** Last successful sync pass, device time (ISO). */
	lastSuccessAt: string;
	/** Chinese text of the last sync failure; null once a pass succeeds. */
	lastSyncError: string | null;
	/** Device clock minus server clock, from the last push. */
	clockSkewMs: number;
	/** The last deviceSeq given to an event; the next event takes this plus one. */
	deviceSeq: number;
	/** Set when the server answered 401: the token is gone and the kiosk must enroll again. */
	needsEnrollment: boolean;
	/** The last business day closed on this kiosk: later events belong to the day after. */
	lastClosedDate: string;
}
export type MetaKey = keyof MetaValues;

export type MetaRow = MetaRowOf<MetaKey>;

export type ResidentRow = ResidentSnapshot;
export type ItemRow = ItemSnapshot;
export type StaffRow = StaffSnapshot;

export type RedemptionStatus = 'pending' | 'synced' | 'rejected';

export interface RedemptionLineRecord {
	itemId: number;
	/** The name at the time of redemption, for receipts and shop mode. */
	name: string;
	quantity: number;
	unitPoints: number;
}

export interface RedemptionRecord {
	/** The id of the event that carries it. */
	eventId: string;
	deviceSeq: number;
	residentId: number;
	cardSerial: number;
	lines: RedemptionLineRecord[];
	/**
	 * The lines' item ids while the redemption is pending, removed once the server answered: a
	 * multi-entry index on it finds the pending redemptions of a cart's items without reading
	 * the whole backlog.
	 */
	pendingItemIds?: number[];
	totalPoints: number;
	/** Device time, ISO. */
	occurredAt: string;
	businessDate: string;
	offline: boolean;
	status: RedemptionStatus;
	/** The change seq that carries its effect once the server took it; null while pending. */
	ackSeq: number | null;
	/** The server applied it but flagged it for the office to review (待核查). */
	flagged: boolean;
	/** Why it was flagged, as the server answered (absent from older servers and older records). */
	flags?: ReviewFlagKind[];
	/** Set when shop mode voided it (the void's event id); cleared if the server refuses the void. */
	voidEventId?: string;
}

/** Whether the server took a local record: like RedemptionStatus. */
export type LocalRecordStatus = 'pending' | 'synced' | 'rejected';

/** The kinds of stock movement a kiosk makes (the server's 'damaged' is a loss here). */
export type LocalMovementKind = 'received' | 'lost' | 'voided' | 'counted';

export interface LocalMovementLine {
	itemId: number;
	/** The name at the time, for reports. */
	name: string;
	/** Signed: received +, lost −, voided +, counted ± (counted − expected). */
	quantity: number;
}

/**
 * A stock movement made on this kiosk, one row per event (a void's stock return and a closing's
 * count adjustments are rows too, under the void's or the closing's event id). Counted on top of
 * the pulled stock until a pull reflects it, as balances.ts does with redemptions.
 */
export interface LocalStockMovement {
	eventId: string;
	deviceSeq: number;
	kind: LocalMovementKind;
	lines: LocalMovementLine[];
	businessDate: string;
	/** Device time, ISO. */
	occurredAt: string;
	staffId: number;
	/** A loss's reason. */
	lossReason?: StockLossReason;
	/** A delivery's or loss's note, a void's reason. */
	note?: string;
	status: LocalRecordStatus;
	ackSeq: number | null;
}

/** A void (撤销) made on this kiosk. */
export interface VoidRecord {
	eventId: string;
	deviceSeq: number;
	/** The voided redemption's event id. */
	redemptionId: string;
	residentId: number;
	/** Points given back. */
	points: number;
	reason: string;
	staffId: number;
	businessDate: string;
	occurredAt: string;
	status: LocalRecordStatus;
	ackSeq: number | null;
}

/** A day closing (日结) made on this kiosk, with its report for reprinting. */
export interface DayClosingRecord {
	businessDate: string;
	eventId: string;
	deviceSeq: number;
	staffId: number;
	approverStaffId?: number;
	report: DayReport;
	status: LocalRecordStatus;
	ackSeq: number | null;
}

/** Wrong PINs in a row for one staff card, kept across reloads. */
export interface PinLockRow {
	staffId: number;
	failures: number;
	/** Device time (ISO) until which the card is locked out; null when not locked. */
	lockedUntil: string | null;
	/** The office's PIN unlock count this lock already took in (see domain/pin-lockout.ts). */
	unlocksSeen?: number;
}

export interface OutboxRow {
	eventId: string;
	deviceSeq: number;
	event: DeviceEvent;
	/** Device time, ISO. */
	createdAt: string;
	attempts: number;
	lastError: string | null;
}

/** A fresh outbox row for an event just made on this kiosk. */
export function newOutboxRow(event: DeviceEvent): OutboxRow {
	return {
		eventId: event.id,
		deviceSeq: event.deviceSeq,
		event,
		createdAt: event.occurredAt,
		attempts: 0,
		lastError: null
	};
}

/** An event the server refused: kept for shop mode, never dropped. */
export interface AttentionRow {
	eventId: string;
	event: DeviceEvent;
	reason: RejectReason;
	message: string;
	/** Device time (ISO) when the refusal arrived. */
	at: string;
}

export interface KioskDbOptions {
	/** Database name; tests give each test its own. */
	name?: string;
	/** IndexedDB to use instead of the browser's (fake-indexeddb in Node tests). */
	indexedDB?: IDBFactory;
	IDBKeyRange?: typeof IDBKeyRange;
}

export class KioskDb extends Dexie {
	meta!: Table<MetaRow, MetaKey>;
	residents!: Table<ResidentRow, number>;
	items!: Table<ItemRow, number>;
	redemptions!: Table<RedemptionRecord, string>;
	outbox!: Table<OutboxRow, string>;
	attention!: Table<AttentionRow, string>;
	staff!: Table<StaffRow, number>;
	stockMovements!: Table<LocalStockMovement, string>;
	voids!: Table<VoidRecord, string>;
	dayClosings!: Table<DayClosingRecord, string>;
	pinLocks!: Table<PinLockRow, number>;

	constructor(options: KioskDbOptions = {}) {
		super(options.name ?? KIOSK_DB_NAME, {
			// Without 'strict' Chromium may report a commit before it reached the disk ('relaxed'):
			// safe from a browser crash, not from a power cut. A redemption is goods handed over;
			// the flush costs a fraction of a millisecond (measured 2026-12-01 on the build machine).
			chromeTransactionDurability: 'strict',
			...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
			...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {})
		});
		this.version(1).stores({
			meta: 'key',
			residents: 'id',
			items: 'id, category, sortOrder',
			// ackSeq is null while pending, and IndexedDB leaves null keys out of the index, so
			// `where('ackSeq').above(cursor)` finds exactly the acknowledged-but-not-pulled ones.
			redemptions: 'eventId, residentId, [residentId+businessDate], status, ackSeq, deviceSeq',
			outbox: 'eventId, deviceSeq',
			attention: 'eventId, at'
		});
		// [residentId+status] lets a redemption read only this resident's pending ones.
		this.version(2).stores({
			redemptions:
				'eventId, residentId, [residentId+businessDate], [residentId+status], status, ackSeq, deviceSeq'
		});
		// Shop mode. ackSeq as on redemptions: null (pending) stays out of the index.
		this.version(3).stores({
			redemptions:
				'eventId, residentId, [residentId+businessDate], [residentId+status], status, ackSeq, deviceSeq, businessDate',
			staff: 'id',
			stockMovements: 'eventId, businessDate, status, ackSeq',
			voids: 'eventId, &redemptionId, businessDate, residentId, status, ackSeq',
			dayClosings: 'businessDate, &eventId',
			pinLocks: 'staffId'
		});
		// A void the server refused may be made again: one redemption can then have two void
		// records (the refused one stays for the attention list). "Voided once" is the
		// redemption's voidEventId, so redemptionId is a plain index.
		this.version(4).stores({
			voids: 'eventId, redemptionId, businessDate, residentId, status, ackSeq'
		});
		// A redemption's stock check reads only the pending redemptions of the cart's items.
		this.version(5)
			.stores({
				redemptions:
					'eventId, residentId, [residentId+businessDate], [residentId+status], status, ackSeq, deviceSeq, businessDate, *pendingItemIds'
			})
			.upgrade((transaction) =>
				transaction
					.table<RedemptionRecord, string>('redemptions')
					.where('status')
					.equals('pending')
					.modify((redemption) => {
						redemption.pendingItemIds = redemption.lines.map((line) => line.itemId);
					})
			);
		// The decision token of versions ≤ 4 is gone with the middleware that wrote it.
		this.version(6)
			.stores({})
			.upgrade((transaction) => transaction.table('meta').delete('decisionToken'));
	}
}

export function openKioskDb(options: KioskDbOptions = {}): KioskDb {
	return new KioskDb(options);
}

export function getMeta<K extends MetaKey>(
	db: KioskDb,
	key: K
): Promise<MetaValues[K] | undefined> {
	return readMeta<MetaValues, K>(db.meta, key);
}

export async function setMeta<K extends MetaKey>(
	db: KioskDb,
	key: K,
	value: MetaValues[K]
): Promise<void> {
	await db.meta.put({ key, value });
}

/** Several meta values at once, in one read. Missing keys are left out. */
export function getMetas<K extends MetaKey>(
	db: KioskDb,
	keys: readonly K[]
): Promise<Partial<Pick<MetaValues, K>>> {
	return readMetas<MetaValues, K>(db.meta, keys);
}

/** Every meta value in one read (meta-table.ts). */
export function getAllMetas(db: KioskDb): Promise<Partial<MetaValues>> {
	return readAllMetas<MetaValues>(db.meta);
}
