/**
 * Counting and closing the day (盘点 / 日结). `openClosing` gives the closing screen its lines;
 * `closeDay` reads everything again and writes the closing in ONE transaction: if a redemption,
 * void or movement was committed since the screen opened (the expected quantities differ), it
 * refuses with 'changed_since_opened' so the shopkeeper recounts against the new figures. The
 * report therefore covers every event committed on this kiosk before the closing, synced or not;
 * later events belong to the next business day (shop-business-date.ts).
 */
import { buildDayReport, type DayReport } from '$lib/domain/day-report';
import {
	applyCounts,
	checkCounts,
	reconcile,
	type DayMovement,
	type ReconciliationLine
} from '$lib/domain/reconciliation';
import { isTodayClosed } from '$lib/domain/shop-business-date';
import { isStockQuantity } from '$lib/domain/stock-quantity';
import type { DayCloseEvent } from '$lib/protocol/events';
import { DEFAULT_COUNT_DIFFERENCE_LIMIT, MAX_NOTE_LENGTH } from '$lib/protocol/limits';
import { stockLevels } from '../balances';
import type { DayClosingRecord, KioskDb, LocalStockMovement } from '../local-db';
import {
	activeStaff,
	appendShopEvent,
	pendingMovement,
	readShopContext,
	ShopRefusal,
	type ShopContext
} from './shop-events';

export interface ClosingView {
	businessDate: string;
	/** Today is already closed on this kiosk (businessDate is then the closed day). */
	alreadyClosed: boolean;
	/** Every stock-tracked item, in the catalogue's order. Empty when already closed. */
	lines: ReconciliationLine[];
	redemptions: { count: number; points: number };
	voids: { count: number; points: number };
	/** Events waiting in the outbox. */
	pendingEvents: number;
	/** A count difference above this many units needs a second staff PIN. */
	countDifferenceLimit: number;
	/**
	 * Earlier business days with activity on this kiosk that were never closed, oldest first:
	 * their figures are in today's opening stock but in no report. The screen should say so.
	 */
	unclosedEarlierDays: string[];
}

export type CloseDayProblem =
	| 'not_enrolled'
	| 'unknown_staff'
	/** The approver is not another active staff member. */
	| 'unknown_approver'
	| 'already_closed'
	/** A count is not a whole number from 0 to 100000. */
	| 'invalid_quantity'
	| 'needs_reason'
	| 'needs_approver'
	/** Something was committed since the closing screen opened: show the new figures. */
	| 'changed_since_opened';

export type CloseDayOutcome =
	{ ok: true; report: DayReport; event: DayCloseEvent } | { ok: false; problem: CloseDayProblem };

export interface CloseDayInput {
	staffId: number;
	/** The second staff member, after their PIN was checked (checkStaffPin). */
	approverStaffId?: number;
	/** One per line of the closing screen, with the expected figure the screen showed. */
	counts: ReadonlyArray<{ itemId: number; expected: number; counted: number; reason?: string }>;
}

const CLOSING_TABLES = (db: KioskDb) => [
	db.meta,
	db.items,
	db.redemptions,
	db.stockMovements,
	db.voids,
	db.outbox
];

function movementKind(kind: LocalStockMovement['kind']): DayMovement['kind'] | null {
	return kind === 'counted' ? null : kind;
}

/** The day's figures, read in the caller's transaction. */
async function readDay(db: KioskDb, context: ShopContext, now: Date): Promise<ClosingView> {
	const { community, meta } = context;
	const alreadyClosed = isTodayClosed(now, community.timeZone, meta.lastClosedDate);
	const day = alreadyClosed ? meta.lastClosedDate! : context.businessDate;
	const since = meta.lastClosedDate ?? '';
	const earlier = (table: typeof db.redemptions | typeof db.stockMovements) =>
		alreadyClosed || since >= day
			? Promise.resolve([])
			: table.where('businessDate').between(since, day, false, false).uniqueKeys();
	const [items, levels, redemptions, movements, voids, pendingEvents, ...earlierDays] =
		await Promise.all([
			db.items.toArray(),
			stockLevels(db),
			db.redemptions.where('businessDate').equals(day).toArray(),
			db.stockMovements.where('businessDate').equals(day).toArray(),
			db.voids.where('businessDate').equals(day).toArray(),
			db.outbox.count(),
			earlier(db.redemptions),
			earlier(db.stockMovements)
		]);
	const taken = redemptions.filter((r) => r.status !== 'rejected');
	const dayMovements: DayMovement[] = [];
	for (const r of taken) {
		for (const line of r.lines) {
			dayMovements.push({ itemId: line.itemId, kind: 'redeemed', quantity: line.quantity });
		}
	}
	for (const movement of movements) {
		const kind = movementKind(movement.kind);
		if (!kind || movement.status === 'rejected') continue;
		for (const line of movement.lines) {
			dayMovements.push({ itemId: line.itemId, kind, quantity: Math.abs(line.quantity) });
		}
	}
	const touched = new Set(dayMovements.map((m) => m.itemId));
	const shown = items
		.filter((item) => item.stockTracked)
		// A retired item still on the shelf (or moved today) is still counted.
		.filter((item) => item.active || touched.has(item.id) || (levels.get(item.id) ?? 0) !== 0)
		.sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id)
		.map((item) => ({
			itemId: item.id,
			name: item.name,
			stockTracked: true,
			expected: levels.get(item.id) ?? 0
		}));
	const takenVoids = voids.filter((v) => v.status !== 'rejected');
	return {
		businessDate: day,
		alreadyClosed,
		lines: alreadyClosed ? [] : reconcile(shown, dayMovements),
		redemptions: { count: taken.length, points: taken.reduce((s, r) => s + r.totalPoints, 0) },
		voids: { count: takenVoids.length, points: takenVoids.reduce((s, v) => s + v.points, 0) },
		pendingEvents,
		countDifferenceLimit: community.countDifferenceLimit ?? DEFAULT_COUNT_DIFFERENCE_LIMIT,
		unclosedEarlierDays: alreadyClosed ? [] : [...new Set(earlierDays.flat().map(String))].sort()
	};
}

/** What the closing screen shows; null when the kiosk is not enrolled. */
export async function openClosing(
	db: KioskDb,
	now: Date = new Date()
): Promise<ClosingView | null> {
	return db.transaction('r', CLOSING_TABLES(db), async () => {
		const context = await readShopContext(db, now);
		return context ? readDay(db, context, now) : null;
	});
}

function sameLines(lines: readonly ReconciliationLine[], counts: CloseDayInput['counts']) {
	if (lines.length !== counts.length) return false;
	const byItem = new Map(counts.map((count) => [count.itemId, count]));
	return lines.every((line) => byItem.get(line.itemId)?.expected === line.expected);
}

export async function closeDay(
	db: KioskDb,
	input: CloseDayInput,
	now: Date = new Date()
): Promise<CloseDayOutcome> {
	if (!input.counts.every((count) => isStockQuantity(count.counted, true))) {
		return { ok: false, problem: 'invalid_quantity' };
	}
	if (input.counts.some((count) => (count.reason?.trim().length ?? 0) > MAX_NOTE_LENGTH)) {
		return { ok: false, problem: 'needs_reason' };
	}
	try {
		return await db.transaction(
			'rw',
			[...CLOSING_TABLES(db), db.staff, db.dayClosings],
			async () => {
				const context = await readShopContext(db, now);
				if (!context) throw new ShopRefusal('not_enrolled');
				const [staff, approver, view] = await Promise.all([
					activeStaff(db, input.staffId),
					input.approverStaffId === undefined
						? Promise.resolve(null)
						: activeStaff(db, input.approverStaffId),
					readDay(db, context, now)
				]);
				if (!staff) throw new ShopRefusal('unknown_staff');
				if (input.approverStaffId !== undefined && (!approver || approver.id === staff.id)) {
					throw new ShopRefusal('unknown_approver');
				}
				if (view.alreadyClosed || (await db.dayClosings.get(view.businessDate))) {
					throw new ShopRefusal('already_closed');
				}
				if (!sameLines(view.lines, input.counts)) throw new ShopRefusal('changed_since_opened');

				const lines = applyCounts(view.lines, input.counts);
				const check = checkCounts(lines, view.countDifferenceLimit);
				if (check.needsReason.length > 0) throw new ShopRefusal('needs_reason');
				if (check.needsApprover && !approver) throw new ShopRefusal('needs_approver');

				const report = buildDayReport({
					businessDate: view.businessDate,
					deviceId: context.device.deviceId,
					...(context.device.name ? { deviceName: context.device.name } : {}),
					staffName: staff.name,
					...(approver ? { approverName: approver.name } : {}),
					closedAt: now.toISOString(),
					redemptions: view.redemptions,
					voids: view.voids,
					lines,
					pendingEvents: view.pendingEvents
				});
				const event = await appendShopEvent(
					db,
					context,
					'dayClose',
					{
						...(approver ? { approverStaffId: approver.id } : {}),
						lastDeviceSeq: context.meta.deviceSeq ?? 0,
						counts: lines.map((line) => ({
							itemId: line.itemId,
							expected: line.expected,
							counted: line.counted,
							...(line.reason ? { reason: line.reason } : {})
						})),
						report,
						staffId: staff.id,
						businessDate: view.businessDate
					},
					now
				);
				const differing = lines.filter((line) => line.difference !== 0);
				const closing: DayClosingRecord = {
					businessDate: view.businessDate,
					eventId: event.id,
					deviceSeq: event.deviceSeq,
					staffId: staff.id,
					...(approver ? { approverStaffId: approver.id } : {}),
					report,
					status: 'pending',
					ackSeq: null
				};
				const writes: Array<Promise<unknown>> = [
					db.dayClosings.add(closing),
					db.meta.put({ key: 'lastClosedDate', value: view.businessDate })
				];
				if (differing.length > 0) {
					writes.push(
						db.stockMovements.add(
							pendingMovement(
								event,
								'counted',
								differing.map((line) => ({
									itemId: line.itemId,
									name: line.name,
									quantity: line.difference
								}))
							)
						)
					);
				}
				await Promise.all(writes);
				return { ok: true as const, report, event };
			}
		);
	} catch (error) {
		if (error instanceof ShopRefusal) {
			return { ok: false, problem: error.problem as CloseDayProblem };
		}
		throw error;
	}
}

/** This kiosk's day closings, newest first, for reprinting. */
export async function listDayReports(db: KioskDb): Promise<DayClosingRecord[]> {
	return (await db.dayClosings.orderBy('businessDate').reverse().toArray()) as DayClosingRecord[];
}

export async function getDayReport(
	db: KioskDb,
	businessDate: string
): Promise<DayClosingRecord | undefined> {
	return db.dayClosings.get(businessDate);
}
