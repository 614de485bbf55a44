import type { Kysely } from 'kysely';
import { businessDate } from '$lib/domain/business-date';
import { chunked } from '../db/chunks';
import type { Database, NewLedgerEntry, NewStockMovement } from '../db/schema';
import type { OfficeActor } from '../office/point-rules';
import { approveRecords, recordPoints } from '../office/point-records';
import { expectOk } from './demo-outcome';
import type { SeededItem, SeededRule } from './demo-rules-and-items';
import type { SeededRandom } from './prng';

/*
 * A few months of the demo community's life. Each resident's acts are planned first, in time
 * order, so that no balance ever goes below zero; then they are written as the office and the
 * shop would have written them:
 * - earning and penalties as batches through recordPoints, one per day and rule: the admin's own
 *   (approved at once) for most of the history, the 网格员's for the last weeks, which the admin
 *   approves through approveRecords at the end of each day;
 * - opening balances carried over from the paper ledger (纸质台账结转), which have no office form;
 * - redemptions as the ledger entries and stock movements a kiosk's pushes leave. They are not
 *   pushed through applyPushBatch: a push runs its own transaction with a savepoint per event and
 *   would need an enrolled demo device (shown in the office's device list and in its day
 *   reports) and a signed card per event, for no better data.
 */

export const HISTORY_DAYS = 120;
const DAY_MS = 24 * 3600_000;
const TIME_ZONE = 'Asia/Shanghai';
const PENALTY_NOTE = '网格员巡查发现，已当面告知';
const HISTORY_ACTOR = 'demo-history';

type Habit = 'star' | 'active' | 'quiet';

export type DemoAct =
	| { kind: 'opening'; residentId: number; points: number; at: number }
	| { kind: 'rule'; residentId: number; rule: SeededRule; at: number }
	| { kind: 'redemption'; residentId: number; item: SeededItem; at: number };

export interface HistoryPlanContext {
	random: SeededRandom;
	now: Date;
	rules: readonly SeededRule[];
	/** The items the history may sell (out-of-stock ones stay out of stock). */
	items: readonly SeededItem[];
	/** Stock left per stock-tracked item, taken down as the plan sells. */
	stockLeft: Map<number, number>;
}

export function historyStart(now: Date): Date {
	return new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
}

/** One resident's acts over the history, in time order. */
export function planResidentHistory(context: HistoryPlanContext, residentId: number): DemoAct[] {
	const { random, now } = context;
	const acts: DemoAct[] = [];
	const start = historyStart(now).getTime();
	const habit = random.weighted<Habit>([
		['star', 4],
		['active', 40],
		['quiet', 56]
	]);
	const spender = habit !== 'star' && random.chance(0.15);
	const actions =
		habit === 'star'
			? random.int(70, 100)
			: habit === 'active'
				? random.int(20, 45)
				: random.int(4, 14);
	// Business hours in Asia/Shanghai (UTC+8): 08:00–18:00 is 00:00–10:00 UTC.
	const times = Array.from({ length: actions }, () => {
		const day = random.int(1, HISTORY_DAYS - 1);
		return start + day * DAY_MS - (start % DAY_MS) + random.int(0, 10 * 3600 - 1) * 1000;
	}).sort((a, b) => a - b);
	const earnRules = context.rules.filter((rule) => rule.kind === 'earn');
	const penaltyRules = context.rules.filter((rule) => rule.kind === 'penalty');

	let balance = random.int(0, 12) * 5;
	if (balance > 0) acts.push({ kind: 'opening', residentId, points: balance, at: start });
	for (const at of times.filter((time) => time < now.getTime() - 3600_000)) {
		if (random.chance(habit === 'star' ? 0.03 : 0.12)) {
			const rule = random.weighted(penaltyRules.map((r) => [r, r.weight] as const));
			if (balance + rule.points < 0) continue;
			balance += rule.points;
			acts.push({ kind: 'rule', residentId, rule, at });
			continue;
		}
		const rule = random.weighted(
			earnRules.map(
				(r) => [r, habit === 'star' && r.points >= 5 ? r.weight * 4 : r.weight] as const
			)
		);
		balance += rule.points;
		acts.push({ kind: 'rule', residentId, rule, at });
		if (habit === 'star' || !random.chance(spender ? 0.5 : 0.06)) continue;
		const redeemedAt = at + random.int(1, 48) * 3600_000;
		const affordable = context.items.filter(
			(item) =>
				item.points <= balance &&
				item.createdAt <= redeemedAt &&
				(!item.stockTracked || (context.stockLeft.get(item.id) ?? 0) > 0)
		);
		if (affordable.length === 0) continue;
		const item = spender
			? affordable.reduce((best, candidate) => (candidate.points > best.points ? candidate : best))
			: random.pick(affordable);
		if (redeemedAt > now.getTime()) continue;
		balance -= item.points;
		acts.push({ kind: 'redemption', residentId, item, at: redeemedAt });
		if (item.stockTracked) context.stockLeft.set(item.id, context.stockLeft.get(item.id)! - 1);
	}
	return acts;
}

export interface HistoryWriters {
	communityId: number;
	/** Records the acts before `gridWorkerFrom`, approves the 网格员's, carried the paper ledger over. */
	admin: OfficeActor;
	/** Records the acts from `gridWorkerFrom` on, which wait for the admin's approval. */
	gridWorker: OfficeActor;
	/**
	 * Approval writes one ledger entry at a time: approving months of batches would triple the
	 * seed's time (measured: ~1 s of a ~2 s seed), so the 网格员 takes over only for the last weeks.
	 */
	gridWorkerFrom: Date;
	now: Date;
}

/**
 * The rule acts as batches: one per day and rule, and a second one for a resident with two acts
 * of the same rule that day (a batch holds a resident once). In day order, then the rule's order.
 */
function batchesByDay(acts: readonly DemoAct[]) {
	const batches = new Map<
		string,
		{ day: string; rule: SeededRule; round: number; residentIds: number[]; lastAt: number }
	>();
	const rounds = new Map<string, number>();
	// businessDate formats through Intl: once per hour of the history, not once per act.
	const days = new Map<number, string>();
	const dayOf = (at: number) => {
		const hour = Math.floor(at / 3600_000);
		let day = days.get(hour);
		if (day === undefined) {
			day = businessDate(new Date(hour * 3600_000), TIME_ZONE);
			days.set(hour, day);
		}
		return day;
	};
	for (const act of acts) {
		if (act.kind !== 'rule') continue;
		const day = dayOf(act.at);
		const perResident = `${day}/${act.rule.id}/${act.residentId}`;
		const round = rounds.get(perResident) ?? 0;
		rounds.set(perResident, round + 1);
		const key = `${day}/${act.rule.id}/${round}`;
		const batch = batches.get(key) ?? {
			day,
			rule: act.rule,
			round,
			residentIds: [],
			lastAt: 0
		};
		batch.residentIds.push(act.residentId);
		batch.lastAt = Math.max(batch.lastAt, act.at);
		batches.set(key, batch);
	}
	const ordered = [...batches.values()].sort(
		(a, b) => a.day.localeCompare(b.day) || a.rule.id - b.rule.id || a.round - b.round
	);
	const byDay = new Map<string, typeof ordered>();
	for (const batch of ordered) byDay.set(batch.day, [...(byDay.get(batch.day) ?? []), batch]);
	return byDay;
}

async function writeRuleActs(
	db: Kysely<Database>,
	writers: HistoryWriters,
	acts: readonly DemoAct[]
): Promise<void> {
	const { admin, gridWorker, now } = writers;
	const cap = (time: number) => new Date(Math.min(time, now.getTime()));
	const gridWorkerFrom = businessDate(writers.gridWorkerFrom, TIME_ZONE);
	for (const [day, batches] of batchesByDay(acts)) {
		const recorder = day >= gridWorkerFrom ? gridWorker : admin;
		let dayEnd = 0;
		for (const batch of batches) {
			const recordedAt = batch.lastAt + 10 * 60_000;
			dayEnd = Math.max(dayEnd, recordedAt);
			expectOk(
				await recordPoints(
					db,
					recorder,
					{
						ruleId: batch.rule.id,
						occurredOn: day,
						residentIds: batch.residentIds,
						note: batch.rule.kind === 'penalty' ? PENALTY_NOTE : null,
						photo: null,
						batchKey: `demo-${day}-${batch.rule.id}-${batch.round}`
					},
					cap(recordedAt)
				),
				`record ${batch.rule.name} on ${day}`
			);
		}
		if (recorder === admin) continue;
		const pending = await db
			.selectFrom('point_records')
			.select('id')
			.where('community_id', '=', recorder.community_id)
			.where('status', '=', 'pending')
			.orderBy('id')
			.execute();
		if (pending.length === 0) continue;
		expectOk(
			await approveRecords(
				db,
				admin,
				pending.map((record) => record.id),
				cap(dayEnd + 30 * 60_000)
			),
			`approve the records of ${day}`
		);
	}
}

/** Writes the planned history of all residents. */
export async function writeHistory(
	db: Kysely<Database>,
	writers: HistoryWriters,
	acts: readonly DemoAct[]
): Promise<void> {
	const { communityId, admin } = writers;
	const openings: NewLedgerEntry[] = acts.flatMap((act) =>
		act.kind === 'opening'
			? [
					{
						community_id: communityId,
						resident_id: act.residentId,
						points: act.points,
						reason: 'opening' as const,
						note: '纸质台账结转',
						actor_kind: 'office_account' as const,
						actor_id: String(admin.id),
						occurred_at: new Date(act.at).toISOString(),
						recorded_at: new Date(act.at).toISOString()
					}
				]
			: []
	);
	for (const rows of chunked(openings, 200)) {
		await db.insertInto('ledger_entries').values(rows).execute();
	}

	await writeRuleActs(db, writers, acts);

	const redemptions = acts
		.filter((act): act is Extract<DemoAct, { kind: 'redemption' }> => act.kind === 'redemption')
		.sort((a, b) => a.at - b.at);
	const entries: NewLedgerEntry[] = [];
	const movements: NewStockMovement[] = [];
	for (const { residentId, item, at } of redemptions) {
		const when = new Date(at).toISOString();
		entries.push({
			community_id: communityId,
			resident_id: residentId,
			points: -item.points,
			reason: 'redemption',
			note: `兑换 ${item.name} ×1`,
			actor_kind: 'system',
			actor_id: HISTORY_ACTOR,
			occurred_at: when,
			recorded_at: when
		});
		if (item.stockTracked) {
			movements.push({
				community_id: communityId,
				item_id: item.id,
				kind: 'redeemed',
				quantity: -1,
				actor_kind: 'system',
				actor_id: HISTORY_ACTOR,
				occurred_at: when,
				recorded_at: when
			});
		}
	}
	for (const rows of chunked(entries, 200)) {
		await db.insertInto('ledger_entries').values(rows).execute();
	}
	for (const rows of chunked(movements, 200)) {
		await db.insertInto('stock_movements').values(rows).execute();
	}
}
