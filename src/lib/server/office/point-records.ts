import type { Kysely } from 'kysely';
import * as v from 'valibot';
import { businessDate } from '$lib/domain/business-date';
import {
	describeLimit,
	limitPeriodRange,
	occurredOnProblem,
	MAX_RECORD_AGE_DAYS,
	shortChineseDay
} from '$lib/domain/point-limits';
import { chunked } from '../db/chunks';
import type { Database, NewLedgerEntry } from '../db/schema';
import type { PointRecordStatus } from '../db/schema-office';
import { inTransaction } from '../db/transactions';
import { recordResidentChanges } from '../sync/change-feed';
import { recordAudit } from './audit';
import type { OfficeActor } from './point-rules';

/*
 * Points recorded in the office: one resident or a whole activity's volunteers in one batch, one
 * transaction, one record per resident. An admin's records (or everyone's, when the community
 * turned review off) are approved at once and write their ledger entries; a 网格员's wait as
 * pending records until an admin approves them, so pending points are never spendable. The
 * ledger stays append-only: a correction is a reversal entry naming the entry it reverses.
 *
 * A batch with any problem records nothing and lists every resident that was refused and why:
 * a 网格员 in a stairwell would rather fix the list once than find out later who was left out.
 */

export const MAX_BATCH_RESIDENTS = 500;
export const NOTE_MAX = 200;
export const REASON_MAX = 200;

const BatchKeySchema = v.pipe(
	v.string(),
	v.regex(/^[A-Za-z0-9_-]{8,64}$/, '表单已过期，请刷新页面后重新录入')
);

export const RecordPointsSchema = v.object({
	ruleId: v.pipe(
		v.number('请选择积分项目'),
		v.integer('请选择积分项目'),
		v.minValue(1, '请选择积分项目')
	),
	occurredOn: v.string('请选择日期'),
	residentIds: v.pipe(
		v.array(v.pipe(v.number(), v.integer(), v.minValue(1)), '请至少添加一位居民'),
		v.minLength(1, '请至少添加一位居民'),
		v.maxLength(MAX_BATCH_RESIDENTS, `一次最多录入 ${MAX_BATCH_RESIDENTS} 位居民，请分批录入`)
	),
	note: v.nullable(
		v.pipe(v.string(), v.trim(), v.maxLength(NOTE_MAX, `说明最多 ${NOTE_MAX} 个字`))
	),
	/** A file name under DATA_DIR/uploads/evidence, from storeImage. */
	photo: v.nullable(v.pipe(v.string(), v.regex(/^[0-9a-f]{32}\.(jpg|png|webp)$/))),
	batchKey: BatchKeySchema
});

export type RecordPointsInput = v.InferInput<typeof RecordPointsSchema>;

export interface RefusedResident {
	residentId: number;
	/** Null when the id is no resident of this community. */
	name: string | null;
	household: string | null;
	reason: string;
}

export interface RecordedBatch {
	ruleName: string;
	/** Signed points per resident. */
	points: number;
	count: number;
	occurredOn: string;
	status: PointRecordStatus;
}

export type RecordPointsOutcome =
	| ({ ok: true; duplicate: boolean } & RecordedBatch)
	| { ok: false; message: string; refused: RefusedResident[] };

export type DecisionOutcome =
	| { ok: true; count: number }
	/** `forbidden`: the account may not do this at all (the action answers 403). */
	| { ok: false; forbidden: boolean; message: string };

/**
 * The ledger's occurred_at for an act on `day`: noon UTC of that day, which falls on the same
 * calendar day in every time zone from UTC−11 to UTC+11 (China is +8).
 */
const occurredAtOfDay = (day: string) => `${day}T12:00:00.000Z`;

/** '楼道清洁 · 2 分 × 23 人 = 46 分 · 12月6日', as the confirmation and the result say it. */
export function describeBatch(batch: Omit<RecordedBatch, 'status'>): string {
	return `${batch.ruleName} · ${batch.points} 分 × ${batch.count} 人 = ${batch.points * batch.count} 分 · ${shortChineseDay(batch.occurredOn)}`;
}

function firstIssue(issues: readonly { message: string }[]): string {
	return issues[0]?.message ?? '输入有误';
}

async function existingBatch(
	db: Kysely<Database>,
	actor: OfficeActor,
	batchKey: string
): Promise<RecordPointsOutcome | null> {
	const rows = await db
		.selectFrom('point_records')
		.select([
			'community_id',
			'recorded_by_account_id',
			'rule_name',
			'points',
			'occurred_on',
			'status'
		])
		.where('batch_key', '=', batchKey)
		.execute();
	const first = rows[0];
	if (!first) return null;
	if (first.community_id !== actor.community_id || first.recorded_by_account_id !== actor.id) {
		return { ok: false, message: '表单已过期，请刷新页面后重新录入', refused: [] };
	}
	return {
		ok: true,
		duplicate: true,
		ruleName: first.rule_name,
		points: first.points,
		count: rows.length,
		occurredOn: first.occurred_on,
		status: first.status
	};
}

/**
 * Records points of one rule for one or many residents, in one transaction. Submitting the same
 * form again (its `batchKey`) records nothing and answers the first result.
 */
export async function recordPoints(
	db: Kysely<Database>,
	actor: OfficeActor,
	input: RecordPointsInput,
	now: Date = new Date()
): Promise<RecordPointsOutcome> {
	if (actor.role !== 'admin' && actor.role !== 'gridWorker') {
		return { ok: false, message: '你的账号不能录入积分', refused: [] };
	}
	const parsed = v.safeParse(RecordPointsSchema, input);
	if (!parsed.success) return { ok: false, message: firstIssue(parsed.issues), refused: [] };
	const { ruleId, occurredOn, batchKey, photo } = parsed.output;
	const note = parsed.output.note || null;
	const residentIds = [...new Set(parsed.output.residentIds)];

	return inTransaction(db, async (trx): Promise<RecordPointsOutcome> => {
		const earlier = await existingBatch(trx, actor, batchKey);
		if (earlier) return earlier;

		const community = await trx
			.selectFrom('communities')
			.select(['time_zone', 'review_points'])
			.where('id', '=', actor.community_id)
			.executeTakeFirstOrThrow();
		const rule = await trx
			.selectFrom('point_rules')
			.selectAll()
			.where('id', '=', ruleId)
			.where('community_id', '=', actor.community_id)
			.executeTakeFirst();
		const refuse = (message: string): RecordPointsOutcome => ({ ok: false, message, refused: [] });
		if (!rule) return refuse('找不到这个积分项目');
		if (rule.active !== 1) return refuse(`“${rule.name}”已经停用，请选择其他项目`);

		const dayProblem = occurredOnProblem(occurredOn, businessDate(now, community.time_zone));
		if (dayProblem === 'not_a_day') return refuse('请选择正确的日期');
		if (dayProblem === 'in_the_future') return refuse('日期不能晚于今天');
		if (dayProblem === 'too_old') return refuse(`只能录入最近 ${MAX_RECORD_AGE_DAYS} 天内的事`);
		if (rule.kind === 'penalty' && !note) return refuse('扣分必须写明情况说明');
		if (rule.evidence_required === 1 && !note && !photo) {
			return refuse(`“${rule.name}”需要填写说明或上传照片作为依据`);
		}

		const refused = await refusedResidents(trx, actor.community_id, rule, occurredOn, residentIds);
		if (refused.length > 0) {
			return {
				ok: false,
				message: `有 ${refused.length} 位居民不能记这一项，这一批都没有保存。请把他们移出名单后再保存。`,
				refused
			};
		}

		const approved = actor.role === 'admin' || community.review_points === 0;
		const recordedAt = now.toISOString();
		const entryIds = new Map<number, number>();
		if (approved) {
			for (const ids of chunked(residentIds, 200)) {
				const entries = await trx
					.insertInto('ledger_entries')
					.values(
						ids.map((residentId): NewLedgerEntry => ({
							community_id: actor.community_id,
							resident_id: residentId,
							points: rule.points,
							reason: rule.kind,
							rule_id: rule.id,
							rule_name: rule.name,
							note,
							actor_kind: 'office_account',
							actor_id: String(actor.id),
							occurred_at: occurredAtOfDay(occurredOn),
							recorded_at: recordedAt
						}))
					)
					.returning(['id', 'resident_id'])
					.execute();
				for (const entry of entries) entryIds.set(entry.resident_id, entry.id);
			}
		}
		for (const ids of chunked(residentIds, 200)) {
			await trx
				.insertInto('point_records')
				.values(
					ids.map((residentId) => ({
						community_id: actor.community_id,
						resident_id: residentId,
						rule_id: rule.id,
						rule_name: rule.name,
						points: rule.points,
						note,
						photo,
						occurred_on: occurredOn,
						batch_key: batchKey,
						recorded_by_account_id: actor.id,
						recorded_at: recordedAt,
						status: approved ? ('approved' as const) : ('pending' as const),
						decided_by_account_id: approved ? actor.id : null,
						decided_at: approved ? recordedAt : null,
						ledger_entry_id: entryIds.get(residentId) ?? null
					}))
				)
				.execute();
		}
		if (approved) await recordResidentChanges(trx, actor.community_id, residentIds, now);

		const batch: RecordedBatch = {
			ruleName: rule.name,
			points: rule.points,
			count: residentIds.length,
			occurredOn,
			status: approved ? 'approved' : 'pending'
		};
		await recordAudit(
			trx,
			{
				communityId: actor.community_id,
				accountId: actor.id,
				action: 'points.record',
				subject: `rule:${rule.id}`,
				summary: `录入积分 ${describeBatch(batch)}${approved ? '' : '（待审核）'}`,
				details: { batchKey, residentIds, note, photo, status: batch.status }
			},
			now
		);
		return { ok: true, duplicate: false, ...batch };
	});
}

interface RuleForLimits {
	id: number;
	name: string;
	limit_period?: 'day' | 'week' | 'month' | null;
	limit_count?: number | null;
}

/** The residents of the list who may not get this rule now, each with the reason. */
async function refusedResidents(
	db: Kysely<Database>,
	communityId: number,
	rule: RuleForLimits,
	occurredOn: string,
	residentIds: readonly number[]
): Promise<RefusedResident[]> {
	const found = new Map<number, { name: string; household: string; active: number }>();
	for (const ids of chunked(residentIds)) {
		const rows = await db
			.selectFrom('residents')
			.innerJoin('households', 'households.id', 'residents.household_id')
			.select([
				'residents.id',
				'residents.name',
				'households.label as household',
				'residents.active'
			])
			.where('residents.community_id', '=', communityId)
			.where('residents.id', 'in', ids)
			.execute();
		for (const row of rows) found.set(row.id, row);
	}
	const counts = new Map<number, number>();
	if (rule.limit_period && rule.limit_count) {
		const { first, last } = limitPeriodRange(rule.limit_period, occurredOn);
		for (const ids of chunked(residentIds)) {
			const rows = await db
				.selectFrom('point_records')
				.select(({ fn }) => ['resident_id', fn.countAll<number>().as('count')])
				.where('rule_id', '=', rule.id)
				.where('resident_id', 'in', ids)
				.where('status', 'in', ['pending', 'approved'])
				.where('occurred_on', '>=', first)
				.where('occurred_on', '<=', last)
				.groupBy('resident_id')
				.execute();
			for (const row of rows) counts.set(row.resident_id, Number(row.count));
		}
	}
	const refused: RefusedResident[] = [];
	for (const residentId of residentIds) {
		const resident = found.get(residentId);
		if (!resident) {
			refused.push({ residentId, name: null, household: null, reason: '不是本社区的居民' });
			continue;
		}
		const who = { residentId, name: resident.name, household: resident.household };
		if (resident.active !== 1) {
			refused.push({ ...who, reason: '已迁出，不能再记积分' });
			continue;
		}
		const count = counts.get(residentId) ?? 0;
		if (rule.limit_count && count >= rule.limit_count) {
			refused.push({
				...who,
				reason: `“${rule.name}”${describeLimit(rule.limit_period ?? null, rule.limit_count)}，这段时间已经记过 ${count} 次`
			});
		}
	}
	return refused;
}

const forbidden = (message: string): DecisionOutcome => ({ ok: false, forbidden: true, message });
const refusedDecision = (message: string): DecisionOutcome => ({
	ok: false,
	forbidden: false,
	message
});

const NOT_ADMIN = '只有管理员可以审核积分';
const OWN_RECORD = '不能审核自己录入的积分，请另一位管理员审核';

/** Approves pending records: each writes its ledger entry; the balances go to the kiosks. */
export async function approveRecords(
	db: Kysely<Database>,
	actor: OfficeActor,
	recordIds: readonly number[],
	now: Date = new Date()
): Promise<DecisionOutcome> {
	if (actor.role !== 'admin') return forbidden(NOT_ADMIN);
	const ids = [...new Set(recordIds)];
	if (ids.length === 0) return refusedDecision('请选择要通过的记录');
	return inTransaction(db, async (trx): Promise<DecisionOutcome> => {
		const records = [];
		for (const chunk of chunked(ids)) {
			records.push(
				...(await trx
					.selectFrom('point_records')
					.innerJoin('residents', 'residents.id', 'point_records.resident_id')
					.selectAll('point_records')
					.select(['residents.name as residentName', 'residents.active as residentActive'])
					.where('point_records.community_id', '=', actor.community_id)
					.where('point_records.id', 'in', chunk)
					.execute())
			);
		}
		if (records.length !== ids.length) return refusedDecision('找不到要审核的记录');
		if (records.some((record) => record.recorded_by_account_id === actor.id)) {
			return forbidden(OWN_RECORD);
		}
		if (records.some((record) => record.status !== 'pending')) {
			return refusedDecision('有记录已经审核过了，请刷新页面');
		}
		const movedOut = records.find((record) => record.residentActive !== 1);
		if (movedOut) {
			return refusedDecision(`${movedOut.residentName} 已迁出，请拒绝这条记录`);
		}
		const decidedAt = now.toISOString();
		// One entry per record, each written and paired on its own: a decision may hold records of
		// several batches for the same resident, and there are at most a few hundred.
		for (const record of records) {
			const entry = await trx
				.insertInto('ledger_entries')
				.values({
					community_id: actor.community_id,
					resident_id: record.resident_id,
					points: record.points,
					reason: record.points < 0 ? 'penalty' : 'earn',
					rule_id: record.rule_id,
					rule_name: record.rule_name,
					note: record.note,
					// The entry names who recorded the act; the record names who approved it.
					actor_kind: 'office_account',
					actor_id: String(record.recorded_by_account_id),
					occurred_at: occurredAtOfDay(record.occurred_on),
					recorded_at: decidedAt
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.updateTable('point_records')
				.set({
					status: 'approved',
					decided_by_account_id: actor.id,
					decided_at: decidedAt,
					ledger_entry_id: entry.id
				})
				.where('id', '=', record.id)
				.execute();
		}
		await recordResidentChanges(
			trx,
			actor.community_id,
			records.map((record) => record.resident_id),
			now
		);
		const first = records[0]!;
		await recordAudit(
			trx,
			{
				communityId: actor.community_id,
				accountId: actor.id,
				action: 'points.approve',
				subject: records.length === 1 ? `resident:${first.resident_id}` : null,
				summary:
					records.length === 1
						? `通过积分 ${first.residentName} ${first.rule_name} ${first.points} 分`
						: `通过积分 ${records.length} 条`,
				details: { recordIds: ids }
			},
			now
		);
		return { ok: true, count: records.length };
	});
}

/** Approves every pending record of the community that this admin did not record. */
export async function approveAllRecords(
	db: Kysely<Database>,
	actor: OfficeActor,
	now: Date = new Date()
): Promise<DecisionOutcome> {
	if (actor.role !== 'admin') return forbidden(NOT_ADMIN);
	const pending = await db
		.selectFrom('point_records')
		.innerJoin('residents', 'residents.id', 'point_records.resident_id')
		.select('point_records.id')
		.where('point_records.community_id', '=', actor.community_id)
		.where('point_records.status', '=', 'pending')
		.where('point_records.recorded_by_account_id', '!=', actor.id)
		.where('residents.active', '=', 1)
		.execute();
	if (pending.length === 0) return refusedDecision('没有可以通过的记录');
	return approveRecords(
		db,
		actor,
		pending.map((row) => row.id),
		now
	);
}

/** Refuses a pending record with a reason; it writes nothing to the ledger. */
export async function refuseRecord(
	db: Kysely<Database>,
	actor: OfficeActor,
	recordId: number,
	reason: string,
	now: Date = new Date()
): Promise<DecisionOutcome> {
	if (actor.role !== 'admin') return forbidden(NOT_ADMIN);
	const text = reason.trim();
	if (!text) return refusedDecision('请写明不通过的原因');
	if (text.length > REASON_MAX) return refusedDecision(`原因最多 ${REASON_MAX} 个字`);
	return db.transaction().execute(async (trx): Promise<DecisionOutcome> => {
		const record = await trx
			.selectFrom('point_records')
			.innerJoin('residents', 'residents.id', 'point_records.resident_id')
			.selectAll('point_records')
			.select('residents.name as residentName')
			.where('point_records.id', '=', recordId)
			.where('point_records.community_id', '=', actor.community_id)
			.executeTakeFirst();
		if (!record) return refusedDecision('找不到这条记录');
		if (record.recorded_by_account_id === actor.id) return forbidden(OWN_RECORD);
		if (record.status !== 'pending') return refusedDecision('这条记录已经审核过了');
		await trx
			.updateTable('point_records')
			.set({
				status: 'refused',
				decided_by_account_id: actor.id,
				decided_at: now.toISOString(),
				refusal_reason: text
			})
			.where('id', '=', recordId)
			.execute();
		await recordAudit(
			trx,
			{
				communityId: actor.community_id,
				accountId: actor.id,
				action: 'points.refuse',
				subject: `resident:${record.resident_id}`,
				summary: `不通过积分 ${record.residentName} ${record.rule_name} ${record.points} 分：${text}`,
				details: { recordId, reason: text }
			},
			now
		);
		return { ok: true, count: 1 };
	});
}

export interface CorrectableEntry {
	id: number;
	residentId: number;
	residentName: string;
	household: string;
	ruleName: string | null;
	points: number;
	reason: 'earn' | 'penalty';
	note: string | null;
	occurredAt: string;
	recordedAt: string;
	/** The reversal that already corrected it, if any. */
	reversal: { id: number; note: string | null; recordedAt: string } | null;
}

/** An earn or penalty entry of the community, as the correction page shows it; null if none. */
export async function loadCorrectableEntry(
	db: Kysely<Database>,
	communityId: number,
	entryId: number
): Promise<CorrectableEntry | null> {
	const entry = await db
		.selectFrom('ledger_entries')
		.innerJoin('residents', 'residents.id', 'ledger_entries.resident_id')
		.innerJoin('households', 'households.id', 'residents.household_id')
		.leftJoin('point_rules', 'point_rules.id', 'ledger_entries.rule_id')
		.select([
			'ledger_entries.id',
			'ledger_entries.resident_id as residentId',
			'residents.name as residentName',
			'households.label as household',
			'ledger_entries.rule_name',
			'point_rules.name as currentRuleName',
			'ledger_entries.points',
			'ledger_entries.reason',
			'ledger_entries.note',
			'ledger_entries.occurred_at as occurredAt',
			'ledger_entries.recorded_at as recordedAt'
		])
		.where('ledger_entries.id', '=', entryId)
		.where('ledger_entries.community_id', '=', communityId)
		.executeTakeFirst();
	if (!entry || (entry.reason !== 'earn' && entry.reason !== 'penalty')) return null;
	const reversal = await db
		.selectFrom('ledger_entries')
		.select(['id', 'note', 'recorded_at as recordedAt'])
		.where('reverses_entry_id', '=', entryId)
		.executeTakeFirst();
	return {
		id: entry.id,
		residentId: entry.residentId,
		residentName: entry.residentName,
		household: entry.household,
		// Older entries (the demo's history) predate rule_name: the rule's name stands in.
		ruleName: entry.rule_name ?? entry.currentRuleName ?? null,
		points: entry.points,
		reason: entry.reason,
		note: entry.note,
		occurredAt: entry.occurredAt,
		recordedAt: entry.recordedAt,
		reversal: reversal ?? null
	};
}

/** Reverses an earn or penalty entry once, with a reason; the original entry stays. */
export async function correctEntry(
	db: Kysely<Database>,
	actor: OfficeActor,
	entryId: number,
	reason: string,
	now: Date = new Date()
): Promise<DecisionOutcome & { reversalId?: number }> {
	if (actor.role !== 'admin') return forbidden('只有管理员可以更正积分');
	const text = reason.trim();
	if (!text) return refusedDecision('请写明更正的原因');
	if (text.length > REASON_MAX) return refusedDecision(`原因最多 ${REASON_MAX} 个字`);
	return db.transaction().execute(async (trx) => {
		const entry = await loadCorrectableEntry(trx, actor.community_id, entryId);
		if (!entry) return refusedDecision('找不到这条积分记录（只能更正加分和扣分）');
		if (entry.reversal) return refusedDecision('这条记录已经更正过了');
		const row = await trx
			.insertInto('ledger_entries')
			.values({
				community_id: actor.community_id,
				resident_id: entry.residentId,
				points: -entry.points,
				reason: 'reversal',
				reverses_entry_id: entry.id,
				rule_name: entry.ruleName,
				note: text,
				actor_kind: 'office_account',
				actor_id: String(actor.id),
				occurred_at: now.toISOString(),
				recorded_at: now.toISOString()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await recordResidentChanges(trx, actor.community_id, [entry.residentId], now);
		await recordAudit(
			trx,
			{
				communityId: actor.community_id,
				accountId: actor.id,
				action: 'points.correct',
				subject: `resident:${entry.residentId}`,
				summary: `更正积分 ${entry.residentName} ${entry.ruleName ?? ''} ${entry.points} 分 → 冲销 ${-entry.points} 分：${text}`,
				details: { entryId, reversalId: row.id, reason: text }
			},
			now
		);
		return { ok: true as const, count: 1, reversalId: row.id };
	});
}

/** Points recorded but not yet approved, by resident: shown as pending, never spendable. */
export async function pendingPoints(
	db: Kysely<Database>,
	residentIds: readonly number[]
): Promise<Map<number, number>> {
	const pending = new Map<number, number>();
	for (const ids of chunked([...new Set(residentIds)])) {
		const rows = await db
			.selectFrom('point_records')
			.select(({ fn }) => ['resident_id', fn.sum<number>('points').as('points')])
			.where('resident_id', 'in', ids)
			.where('status', '=', 'pending')
			.groupBy('resident_id')
			.execute();
		for (const row of rows) pending.set(row.resident_id, Number(row.points));
	}
	return pending;
}
