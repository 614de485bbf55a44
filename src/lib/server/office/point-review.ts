import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { PointRecordStatus } from '../db/schema-office';
import { recordAudit } from './audit';
import type { OfficeActor } from './point-rules';

/*
 * What the review page reads: records waiting for an admin, grouped by the batch they were
 * recorded in (one activity, one group), and a 网格员's own refused records with the reason.
 * And the community setting that turns review on or off.
 */

/** A page shows at most this many records; a backlog longer than this is approved in turns. */
const MAX_REVIEW_RECORDS = 1000;
/** A 网格员 sees refusals of the last this many days. */
const REFUSED_DAYS = 30;

export interface ReviewRecord {
	id: number;
	residentId: number;
	residentName: string;
	household: string;
	status: PointRecordStatus;
	refusalReason: string | null;
}

export interface ReviewBatch {
	batchKey: string;
	ruleName: string;
	points: number;
	occurredOn: string;
	note: string | null;
	photo: string | null;
	recordedById: number;
	recordedByName: string;
	recordedAt: string;
	records: ReviewRecord[];
}

export interface ReviewFilter {
	/** Only this account's records: pending, and refused ones of the last 30 days. */
	recordedBy?: number;
}

export async function listReviewBatches(
	db: Kysely<Database>,
	communityId: number,
	filter: ReviewFilter = {},
	now: Date = new Date()
): Promise<ReviewBatch[]> {
	let query = db
		.selectFrom('point_records')
		.innerJoin('residents', 'residents.id', 'point_records.resident_id')
		.innerJoin('households', 'households.id', 'residents.household_id')
		.innerJoin('office_accounts', 'office_accounts.id', 'point_records.recorded_by_account_id')
		.select([
			'point_records.id',
			'point_records.batch_key',
			'point_records.rule_name',
			'point_records.points',
			'point_records.occurred_on',
			'point_records.note',
			'point_records.photo',
			'point_records.recorded_by_account_id',
			'point_records.recorded_at',
			'point_records.status',
			'point_records.refusal_reason',
			'point_records.resident_id',
			'residents.name as residentName',
			'households.label as household',
			'office_accounts.display_name as recordedByName'
		])
		.where('point_records.community_id', '=', communityId);
	if (filter.recordedBy === undefined) {
		query = query.where('point_records.status', '=', 'pending');
	} else {
		const since = new Date(now.getTime() - REFUSED_DAYS * 86_400_000).toISOString();
		query = query
			.where('point_records.recorded_by_account_id', '=', filter.recordedBy)
			.where((eb) =>
				eb.or([
					eb('point_records.status', '=', 'pending'),
					eb.and([
						eb('point_records.status', '=', 'refused'),
						eb('point_records.decided_at', '>=', since)
					])
				])
			);
	}
	const rows = await query.orderBy('point_records.id').limit(MAX_REVIEW_RECORDS).execute();
	const batches = new Map<string, ReviewBatch>();
	for (const row of rows) {
		let batch = batches.get(row.batch_key);
		if (!batch) {
			batch = {
				batchKey: row.batch_key,
				ruleName: row.rule_name,
				points: row.points,
				occurredOn: row.occurred_on,
				note: row.note,
				photo: row.photo,
				recordedById: row.recorded_by_account_id,
				recordedByName: row.recordedByName,
				recordedAt: row.recorded_at,
				records: []
			};
			batches.set(row.batch_key, batch);
		}
		batch.records.push({
			id: row.id,
			residentId: row.resident_id,
			residentName: row.residentName,
			household: row.household,
			status: row.status,
			refusalReason: row.refusal_reason
		});
	}
	return [...batches.values()];
}

export async function reviewPointsSetting(
	db: Kysely<Database>,
	communityId: number
): Promise<boolean> {
	const row = await db
		.selectFrom('communities')
		.select('review_points')
		.where('id', '=', communityId)
		.executeTakeFirstOrThrow();
	return row.review_points === 1;
}

/** Turns review of 网格员's points on or off; records already pending stay pending. */
export async function setReviewPoints(
	db: Kysely<Database>,
	actor: OfficeActor,
	review: boolean,
	now: Date = new Date()
): Promise<{ ok: true } | { ok: false; message: string }> {
	if (actor.role !== 'admin') return { ok: false, message: '只有管理员可以修改这个设置' };
	await db.transaction().execute(async (trx) => {
		await trx
			.updateTable('communities')
			.set({ review_points: review ? 1 : 0 })
			.where('id', '=', actor.community_id)
			.execute();
		await recordAudit(
			trx,
			{
				communityId: actor.community_id,
				accountId: actor.id,
				action: 'community.review_points',
				subject: `community:${actor.community_id}`,
				summary: review ? '开启：网格员录入的积分需要审核' : '关闭：网格员录入的积分不再需要审核'
			},
			now
		);
	});
	return { ok: true };
}
