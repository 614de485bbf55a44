/**
 * Recording a redemption at the counter. The redemption, its outbox event and the deviceSeq
 * counter are written in ONE Dexie transaction that first re-checks every rule against the data
 * it reads, so a double tap or a second tab can never spend the same points twice, and a crash
 * leaves either all of it or none of it. Stock is computed on read from pending redemptions
 * (see balances.ts), so the redemption record is also the local stock movement.
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
	pendingRedemptions,
	spentOfflineToday,
	unreflectedMovements,
	unreflectedPointsOf,
	unreflectedVoidPointsOf
} from './balances';
import {
	getAllMetas,
	newOutboxRow,
	type KioskDb,
	type RedemptionLineRecord,
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

/** The pull cursor and the community's calendar as the last redemption on a database found them. */
interface SeenMeta {
	cursor: number;
	timeZone: string;
	lastClosedDate: string | undefined;
}
const lastSeen = new WeakMap<KioskDb, SeenMeta>();

/** The reads of a redemption's re-check that depend on the pull cursor and the business day. */
async function readsAtCursorAndDay(db: KioskDb, residentId: number, cursor: number, day: string) {
	const [ackedAhead, spentToday, movements, voidedBack] = await Promise.all([
		ackedAheadOfCursor(db, cursor),
		spentOfflineToday(db, residentId, day),
		unreflectedMovements(db, cursor),
		unreflectedVoidPointsOf(db, residentId, cursor)
	]);
	return { ackedAhead, spentToday, movements, voidedBack };
}

export async function recordRedemption(
	db: KioskDb,
	input: RedemptionInput
): Promise<RedemptionOutcome> {
	if (!validLines(input.lines)) return { ok: false, problem: 'invalid_cart' };
	const now = input.now ?? new Date();
	try {
		return await db.transaction(
			'rw',
			[db.meta, db.residents, db.items, db.redemptions, db.outbox, db.stockMovements, db.voids],
			async () => {
				// Every read is issued in one round: those that depend on the pull cursor and the
				// business day use the ones the previous redemption found (they move only with a
				// pull or a closing), and run again in a second round only if those changed.
				const guess = lastSeen.get(db);
				const guessedDay = guess
					? shopBusinessDate(now, guess.timeZone, guess.lastClosedDate)
					: null;
				const [[meta, resident, items, allPending], guessed] = await Promise.all([
					Promise.all([
						getAllMetas(db),
						db.residents.get(input.residentId),
						db.items.bulkGet(input.lines.map((line) => line.itemId)),
						pendingRedemptions(db)
					]),
					guess && guessedDay !== null
						? readsAtCursorAndDay(db, input.residentId, guess.cursor, guessedDay)
						: Promise.resolve(null)
				]);
				const { device, community } = meta;
				if (!device || !community || meta.needsEnrollment) throw new Refused('not_enrolled');
				if (!resident) throw new Refused('unknown_resident');
				const lines: RedemptionLineRecord[] = [];
				for (const [i, line] of input.lines.entries()) {
					const item = items[i];
					if (!item) throw new Refused('unknown_item');
					if (!item.active) throw new Refused('inactive_item');
					lines.push({ ...line, name: item.name });
				}

				// After the day is closed on this kiosk, redemptions belong to the next business day.
				const day = shopBusinessDate(now, community.timeZone, meta.lastClosedDate);
				const cursor = meta.cursor ?? 0;
				lastSeen.set(db, {
					cursor,
					timeZone: community.timeZone,
					lastClosedDate: meta.lastClosedDate
				});
				const { ackedAhead, spentToday, movements, voidedBack } =
					guessed && guess?.cursor === cursor && guessedDay === day
						? guessed
						: await readsAtCursorAndDay(db, resident.id, cursor, day);
				const residentPending = allPending.filter((r) => r.residentId === resident.id);
				const handedOut = pendingQuantities([...allPending, ...ackedAhead]);
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
						const item = items[i]!;
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
				const event: RedemptionEvent = {
					id: uuidv7(now.getTime()),
					deviceId: device.deviceId,
					deviceSeq,
					occurredAt,
					type: 'redemption',
					payload: {
						residentId: resident.id,
						cardSerial: input.cardSerial,
						lines: input.lines.map(({ itemId, quantity, unitPoints }) => ({
							itemId,
							quantity,
							unitPoints
						})),
						totalPoints,
						offline: input.offline,
						businessDate: day
					}
				};
				const redemption: RedemptionRecord = {
					eventId: event.id,
					deviceSeq,
					residentId: resident.id,
					cardSerial: input.cardSerial,
					lines,
					totalPoints,
					occurredAt,
					businessDate: day,
					offline: input.offline,
					status: 'pending',
					ackSeq: null,
					flagged: false
				};
				// Issued together: IndexedDB runs them in order within the transaction anyway.
				await Promise.all([
					db.meta.put({ key: 'deviceSeq', value: deviceSeq }),
					db.redemptions.add(redemption),
					db.outbox.add(newOutboxRow(event))
				]);
				const available = resident.balance - unreflectedPoints - totalPoints;
				return { ok: true as const, redemption, event, available };
			}
		);
	} catch (error) {
		if (error instanceof Refused) return { ok: false, problem: error.problem };
		throw error;
	}
}
