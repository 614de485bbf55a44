/**
 * What the kiosk may still spend and hand out: the server's figures at the last pull, minus this
 * kiosk's redemptions that the pulled data does not reflect yet (still pending, or acknowledged
 * with a change seq beyond the cursor), plus its shop-mode stock movements and voids under the
 * same rule. Computed on read, so an ack followed by a pull can never count anything twice or
 * forget it.
 *
 * Every function here works inside a caller's Dexie transaction too (it then reads that
 * transaction's snapshot), which is how `recordRedemption` re-checks the rules atomically.
 */
import type { ItemSnapshot, ResidentSnapshot } from '$lib/protocol/sync';
import {
	getMeta,
	type KioskDb,
	type LocalStockMovement,
	type RedemptionRecord,
	type VoidRecord
} from './local-db';

/** Pending, or acknowledged with a seq the pull has not reached; never a rejected one. */
function isUnreflected(record: { status: string; ackSeq: number | null }, cursor: number) {
	return (
		record.status === 'pending' ||
		(record.status === 'synced' && record.ackSeq !== null && record.ackSeq > cursor)
	);
}

/** Shop-mode stock movements of this kiosk whose effect the pulled stock does not contain yet. */
export async function unreflectedMovements(
	db: KioskDb,
	cursor: number
): Promise<LocalStockMovement[]> {
	const [pending, acked] = await Promise.all([
		db.stockMovements.where('status').equals('pending').toArray(),
		db.stockMovements.where('ackSeq').above(cursor).toArray()
	]);
	return [...pending, ...acked.filter((m) => isUnreflected(m, cursor))];
}

/** Signed quantities per item id that this kiosk's movements add to the pulled stock. */
export function movementQuantities(movements: readonly LocalStockMovement[]): Map<number, number> {
	const quantities = new Map<number, number>();
	for (const movement of movements) {
		for (const line of movement.lines) {
			quantities.set(line.itemId, (quantities.get(line.itemId) ?? 0) + line.quantity);
		}
	}
	return quantities;
}

/** Points this kiosk's voids give back to a resident that the pulled balance does not show yet. */
export async function unreflectedVoidPointsOf(
	db: KioskDb,
	residentId: number,
	cursor: number
): Promise<number> {
	const voids: VoidRecord[] = await db.voids.where('residentId').equals(residentId).toArray();
	let points = 0;
	for (const v of voids) if (isUnreflected(v, cursor)) points += v.points;
	return points;
}

/** Redemptions of this kiosk whose effect the pulled snapshots do not contain yet. */
export async function unreflectedRedemptions(db: KioskDb): Promise<RedemptionRecord[]> {
	const cursor = (await getMeta(db, 'cursor')) ?? 0;
	const [pending, ackedAhead] = await Promise.all([
		pendingRedemptions(db),
		ackedAheadOfCursor(db, cursor)
	]);
	return [...pending, ...ackedAhead];
}

/** Redemptions not acknowledged by the server yet. */
export function pendingRedemptions(db: KioskDb): Promise<RedemptionRecord[]> {
	return db.redemptions.where('status').equals('pending').toArray();
}

/** One resident's pending redemptions, through the [residentId+status] index (no full scan). */
export function pendingRedemptionsOf(db: KioskDb, residentId: number): Promise<RedemptionRecord[]> {
	return db.redemptions.where('[residentId+status]').equals([residentId, 'pending']).toArray();
}

/**
 * Pending redemptions with a line of any of these items, through the multi-entry index on
 * `pendingItemIds` (no full scan of the backlog).
 */
export async function pendingRedemptionsWithItems(
	db: KioskDb,
	itemIds: readonly number[]
): Promise<RedemptionRecord[]> {
	return db.redemptions
		.where('pendingItemIds')
		.anyOf([...itemIds])
		.distinct()
		.toArray();
}

/** Acknowledged redemptions whose change seq the pull cursor has not reached yet. */
export async function ackedAheadOfCursor(db: KioskDb, cursor: number): Promise<RedemptionRecord[]> {
	const acked = await db.redemptions.where('ackSeq').above(cursor).toArray();
	// A rejected one never took effect on the server: it is not subtracted anywhere.
	return acked.filter((r) => r.status === 'synced');
}

export function pendingPointsOf(residentId: number, redemptions: readonly RedemptionRecord[]) {
	let points = 0;
	for (const r of redemptions) if (r.residentId === residentId) points += r.totalPoints;
	return points;
}

/**
 * Points a resident has spent or got back on this kiosk that the pulled balance does not show
 * yet: their pending redemptions and acknowledged ones ahead of the cursor, less unreflected voids.
 */
export function unreflectedPointsOf(
	residentId: number,
	reads: {
		pending: readonly RedemptionRecord[];
		ackedAhead: readonly RedemptionRecord[];
		voidedBack: number;
	}
): number {
	return (
		pendingPointsOf(residentId, reads.pending) +
		pendingPointsOf(residentId, reads.ackedAhead) -
		reads.voidedBack
	);
}

/** Quantities per item id that this kiosk handed out beyond the pulled stock figures. */
export function pendingQuantities(redemptions: readonly RedemptionRecord[]): Map<number, number> {
	const quantities = new Map<number, number>();
	for (const r of redemptions) {
		for (const line of r.lines) {
			quantities.set(line.itemId, (quantities.get(line.itemId) ?? 0) + line.quantity);
		}
	}
	return quantities;
}

/**
 * A resident as last pulled, with what they may spend now: the pulled balance minus this kiosk's
 * unreflected redemptions, plus its unreflected voids. Null for a resident the kiosk does not know.
 */
export function residentWithAvailable(
	db: KioskDb,
	residentId: number
): Promise<{ resident: ResidentSnapshot; available: number } | null> {
	// One read transaction, so a pull page landing in between cannot subtract a redemption twice;
	// reads are issued together, in two rounds (the second needs the cursor).
	return db.transaction('r', [db.meta, db.residents, db.redemptions, db.voids], async () => {
		const [resident, storedCursor, pending] = await Promise.all([
			db.residents.get(residentId),
			getMeta(db, 'cursor'),
			pendingRedemptionsOf(db, residentId)
		]);
		if (!resident) return null;
		const cursor = storedCursor ?? 0;
		const [ackedAhead, voidedBack] = await Promise.all([
			ackedAheadOfCursor(db, cursor),
			unreflectedVoidPointsOf(db, residentId, cursor)
		]);
		const unreflected = unreflectedPointsOf(residentId, { pending, ackedAhead, voidedBack });
		return { resident, available: resident.balance - unreflected };
	});
}

/** Server balance at the last pull minus this kiosk's unreflected redemptions; null if unknown. */
export async function availableBalance(db: KioskDb, residentId: number): Promise<number | null> {
	return (await residentWithAvailable(db, residentId))?.available ?? null;
}

/**
 * What this kiosk changed on top of the pulled stock, per item id: its deliveries, voids and
 * count adjustments (minus losses) and minus what it handed out, none of it reflected yet. Call
 * inside a transaction over meta, redemptions and stockMovements, or alone.
 */
export async function unreflectedStockChanges(db: KioskDb): Promise<Map<number, number>> {
	const cursor = (await getMeta(db, 'cursor')) ?? 0;
	const [unreflected, movements] = await Promise.all([
		unreflectedRedemptions(db),
		unreflectedMovements(db, cursor)
	]);
	const changes = movementQuantities(movements);
	for (const [itemId, quantity] of pendingQuantities(unreflected)) {
		changes.set(itemId, (changes.get(itemId) ?? 0) - quantity);
	}
	return changes;
}

/** Stock on hand per item id by this kiosk's figures: pulled stock plus unreflected changes. */
export async function stockLevels(db: KioskDb): Promise<Map<number, number>> {
	const [items, changes] = await Promise.all([db.items.toArray(), unreflectedStockChanges(db)]);
	return new Map(items.map((item) => [item.id, item.stock + (changes.get(item.id) ?? 0)]));
}

/** Stock on hand of one item by this kiosk's figures (see stockLevels); null if unknown. */
export function availableStock(db: KioskDb, itemId: number): Promise<number | null> {
	return db.transaction('r', [db.meta, db.items, db.redemptions, db.stockMovements], async () => {
		const [item, changes] = await Promise.all([db.items.get(itemId), unreflectedStockChanges(db)]);
		return item ? item.stock + (changes.get(itemId) ?? 0) : null;
	});
}

/** Points this resident spent offline on this kiosk on that business day (rejected ones aside). */
export async function spentOfflineToday(
	db: KioskDb,
	residentId: number,
	businessDate: string
): Promise<number> {
	// toArray is one getAll; each() would cost a round trip to the IndexedDB backend per row.
	const redemptions = await db.redemptions
		.where('[residentId+businessDate]')
		.equals([residentId, businessDate])
		.toArray();
	let spent = 0;
	for (const r of redemptions) {
		// A voided redemption gave its points back: it does not count against the day's limit.
		if (r.offline && r.status !== 'rejected' && !r.voidEventId) spent += r.totalPoints;
	}
	return spent;
}

/**
 * The catalogue as the counter shows it: active items in the office's sort order, with `stock`
 * replaced by what this kiosk may still hand out.
 */
export async function listCatalogue(db: KioskDb): Promise<ItemSnapshot[]> {
	const [items, changes] = await Promise.all([db.items.toArray(), unreflectedStockChanges(db)]);
	return items
		.filter((item) => item.active)
		.map((item) => ({ ...item, stock: item.stock + (changes.get(item.id) ?? 0) }))
		.sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
}
