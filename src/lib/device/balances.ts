/**
 * What the kiosk may still spend and hand out: the server's figures at the last pull, minus this
 * kiosk's redemptions that the pulled data does not reflect yet (still pending, or acknowledged
 * with a change seq beyond the cursor). Computed on read, so an ack followed by a pull can never
 * count a redemption twice or forget it.
 *
 * Every function here works inside a caller's Dexie transaction too (it then reads that
 * transaction's snapshot), which is how `recordRedemption` re-checks the rules atomically.
 */
import type { ItemSnapshot } from '$lib/protocol/sync';
import { getMeta, type KioskDb, type RedemptionRecord } from './local-db';

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

/** Server balance at the last pull minus this kiosk's unreflected redemptions; null if unknown. */
export function availableBalance(db: KioskDb, residentId: number): Promise<number | null> {
	// One read transaction, so a pull page landing in between cannot subtract a redemption twice.
	return db.transaction('r', [db.meta, db.residents, db.redemptions], async () => {
		const resident = await db.residents.get(residentId);
		if (!resident) return null;
		return resident.balance - pendingPointsOf(residentId, await unreflectedRedemptions(db));
	});
}

/** Server stock at the last pull minus what this kiosk handed out since; null if unknown. */
export function availableStock(db: KioskDb, itemId: number): Promise<number | null> {
	return db.transaction('r', [db.meta, db.items, db.redemptions], async () => {
		const item = await db.items.get(itemId);
		if (!item) return null;
		return item.stock - (pendingQuantities(await unreflectedRedemptions(db)).get(itemId) ?? 0);
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
	for (const r of redemptions) if (r.offline && r.status !== 'rejected') spent += r.totalPoints;
	return spent;
}

/**
 * The catalogue as the counter shows it: active items in the office's sort order, with `stock`
 * replaced by what this kiosk may still hand out.
 */
export async function listCatalogue(db: KioskDb): Promise<ItemSnapshot[]> {
	const [items, unreflected] = await Promise.all([db.items.toArray(), unreflectedRedemptions(db)]);
	const pending = pendingQuantities(unreflected);
	return items
		.filter((item) => item.active)
		.map((item) => ({ ...item, stock: item.stock - (pending.get(item.id) ?? 0) }))
		.sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
}
