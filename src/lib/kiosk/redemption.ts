/**
 * Recording a redemption at the counter: ONE Dexie transaction reads what the rules decide on,
 * decides, and writes the redemption, its outbox event and the deviceSeq counter, so a double tap
 * or a second tab can never spend the same points twice, and a crash leaves either all of it or
 * none of it. Stock is computed on read from unreflected redemptions (see balances.ts), so the
 * redemption record is also the local stock movement.
 *
 * Every read goes through an index to the rows this resident and these items need (their
 * pending redemptions, not the kiosk's whole backlog), so a kiosk that has been offline for days
 * with a thousand redemptions waiting decides as quickly as a fresh one.
 */
import { redemptionTotal } from '$lib/domain/ledger';
import { shopBusinessDate } from '$lib/domain/shop-business-date';
import { decideRedemption, type RedemptionRefusal } from '$lib/domain/offline-limits';
import { uuidv7 } from '$lib/domain/uuid';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '$lib/protocol/limits';
import type { RedemptionEvent } from '$lib/protocol/events';
import {
	ackedAheadOfCursor,
	movementQuantities,
	pendingQuantities,
	pendingRedemptionsOf,
	pendingRedemptionsWithItems,
	spentOfflineToday,
	unreflectedMovements,
	unreflectedPointsOf,
	unreflectedVoidPointsOf
} from './balances';
import {
	getAllMetas,
	newOutboxRow,
	type ItemRow,
	type KioskDb,
	type RedemptionRecord
} from './local-db';

export interface RedemptionLineInput {
	itemId: number;
	quantity: number;
	/** The price the resident saw on screen; the server charges this one. */
	unitPoints: number;
}

export interface RedemptionInput {
	residentId: number;
	/** The serial of the card that was scanned. */
	cardSerial: number;
	/** The text of the card that was scanned: the server checks its signature (protocol/events.ts). */
	credential: string;
	lines: readonly RedemptionLineInput[];
	/** True when the kiosk cannot reach the server now (`SyncEngine.isOffline()`). */
	offline: boolean;
	/** Device time; defaults to now. */
	now?: Date;
}

export type RedemptionProblem =
	| RedemptionRefusal
	| 'not_enrolled'
	| 'unknown_resident'
	| 'moved_out'
	| 'unknown_item'
	| 'inactive_item'
	| 'invalid_cart';

export type RedemptionOutcome =
	| {
			ok: true;
			redemption: RedemptionRecord;
			event: RedemptionEvent;
			/** The resident's available balance after this redemption. */
			available: number;
	  }
	| { ok: false; problem: RedemptionProblem };

/** Thrown inside the transaction to roll it back with a reason the caller turns into a result. */
class Refused extends Error {
	constructor(readonly problem: RedemptionProblem) {
		super(problem);
	}
}

function validLines(lines: readonly RedemptionLineInput[]): boolean {
	if (lines.length < 1 || lines.length > MAX_CART_LINES) return false;
	const seen = new Set<number>();
	for (const line of lines) {
		if (seen.has(line.itemId)) return false;
		seen.add(line.itemId);
		if (!Number.isInteger(line.quantity) || line.quantity < 1) return false;
		if (line.quantity > MAX_LINE_QUANTITY) return false;
		if (!Number.isInteger(line.unitPoints) || line.unitPoints < 0) return false;
	}
	return true;
}

const TABLES = (db: KioskDb) => [
	db.meta,
	db.residents,
	db.items,
	db.redemptions,
	db.outbox,
	db.stockMovements,
	db.voids
];

export async function recordRedemption(
	db: KioskDb,
	input: RedemptionInput
): Promise<RedemptionOutcome> {
	if (!validLines(input.lines)) return { ok: false, problem: 'invalid_cart' };
	const now = input.now ?? new Date();
	try {
		return await db.transaction('rw', TABLES(db), () => redeemInTransaction(db, input, now));
	} catch (error) {
		if (error instanceof Refused) return { ok: false, problem: error.problem };
		throw error;
	}
}

/** Reads (two rounds: the second needs the cursor and the business day), decides, writes. */
async function redeemInTransaction(
	db: KioskDb,
	input: RedemptionInput,
	now: Date
): Promise<RedemptionOutcome> {
	const itemIds = input.lines.map((line) => line.itemId);
	const [meta, resident, items, residentPending, pendingWithItems] = await Promise.all([
		getAllMetas(db),
		db.residents.get(input.residentId),
		db.items.bulkGet(itemIds),
		pendingRedemptionsOf(db, input.residentId),
		pendingRedemptionsWithItems(db, itemIds)
	]);
	const { device, community } = meta;
	if (!device || !community || meta.needsEnrollment) throw new Refused('not_enrolled');
	if (!resident) throw new Refused('unknown_resident');
	// A pull may mark the resident moved out while they stand at the counter.
	if (resident.active === false) throw new Refused('moved_out');
	const cartItems: ItemRow[] = items.map((item) => {
		if (!item) throw new Refused('unknown_item');
		if (!item.active) throw new Refused('inactive_item');
		return item;
	});
	const cursor = meta.cursor ?? 0;
	// After the day is closed on this kiosk, redemptions belong to the next business day.
	const day = shopBusinessDate(now, community.timeZone, meta.lastClosedDate);
	const [ackedAhead, spentToday, movements, voidedBack] = await Promise.all([
		ackedAheadOfCursor(db, cursor),
		spentOfflineToday(db, resident.id, day),
		unreflectedMovements(db, cursor),
		unreflectedVoidPointsOf(db, resident.id, cursor)
	]);

	const handedOut = pendingQuantities([...pendingWithItems, ...ackedAhead]);
	const moved = movementQuantities(movements);
	const unreflectedPoints = unreflectedPointsOf(resident.id, {
		pending: residentPending,
		ackedAhead,
		voidedBack
	});
	const totalPoints = redemptionTotal(input.lines);
	const decision = decideRedemption({
		totalPoints,
		availablePoints: resident.balance - unreflectedPoints,
		lines: input.lines.map((line, i) => {
			const item = cartItems[i]!;
			return {
				quantity: line.quantity,
				stockTracked: item.stockTracked,
				stockAvailable: item.stock - (handedOut.get(item.id) ?? 0) + (moved.get(item.id) ?? 0)
			};
		}),
		offline: input.offline,
		offlineDailyLimit: community.offlineDailyLimit,
		spentOfflineToday: spentToday,
		lastPullAt: meta.lastPullAt ?? null,
		offlineMaxAgeHours: community.offlineMaxAgeHours,
		now
	});
	if (!decision.allowed) throw new Refused(decision.reason);

	const deviceSeq = (meta.deviceSeq ?? 0) + 1;
	const occurredAt = now.toISOString();
	const lines = input.lines.map(({ itemId, quantity, unitPoints }) => ({
		itemId,
		quantity,
		unitPoints
	}));
	const event: RedemptionEvent = {
		id: uuidv7(now.getTime()),
		deviceId: device.deviceId,
		deviceSeq,
		occurredAt,
		type: 'redemption',
		payload: {
			residentId: input.residentId,
			cardSerial: input.cardSerial,
			// Only the outbox keeps it, until the server has answered. Events a build before this
			// one left in an outbox have none: the server refuses them (invalid_event) and they go to
			// shop mode's attention list like any refused event. No such build was ever released,
			// and no honest card text can be added to an event afterwards.
			credential: input.credential,
			lines,
			totalPoints,
			offline: input.offline,
			businessDate: day
		}
	};
	const redemption: RedemptionRecord = {
		eventId: event.id,
		deviceSeq,
		residentId: input.residentId,
		cardSerial: input.cardSerial,
		lines: lines.map((line, i) => ({ ...line, name: cartItems[i]!.name })),
		pendingItemIds: itemIds,
		totalPoints,
		occurredAt,
		businessDate: day,
		offline: input.offline,
		status: 'pending',
		ackSeq: null,
		flagged: false
	};
	await Promise.all([
		db.meta.put({ key: 'deviceSeq', value: deviceSeq }),
		db.redemptions.add(redemption),
		db.outbox.add(newOutboxRow(event))
	]);
	return {
		ok: true,
		redemption,
		event,
		available: resident.balance - unreflectedPoints - totalPoints
	};
}
