import type { Kysely } from 'kysely';
import * as v from 'valibot';
import type { ReviewFlagKind } from '$lib/protocol/review-flags';
import type { Database } from '../db/schema';
import { recordAudit } from './audit';
import { itemNames } from './resident-detail';
import type { OfficeActor } from './point-rules';

/*
 * 待核查: redemptions a kiosk pushed that the server applied although something was wrong (the
 * goods had left the shop): an overdraw, a revoked card, a moved-out resident. Each is a review
 * flag (sync/apply-event.ts) that a 管理员 looks at and marks resolved, with a note if he likes.
 * Beside them, the warnings of other applied events (a device clock far off) that carry no flag.
 */

/** The kind of a flag as the office says it. */
export const REVIEW_FLAG_KIND_NAMES: Record<ReviewFlagKind, string> = {
	overdrawn: '超支',
	revoked_card: '挂失的卡',
	moved_out: '已迁出的居民'
};

export const RESOLUTION_NOTE_MAX = 200;

/** How many rows the page shows; more open flags than this would be a problem of its own. */
const PAGE_ROWS = 200;

export interface ReviewFlagRow {
	id: number;
	kind: ReviewFlagKind;
	kindName: string;
	residentId: number;
	residentName: string;
	householdLabel: string;
	/** The redemption's points, positive (what was spent). */
	points: number;
	/** The balance right after it, when the server noted it (an overdraw shows it below zero). */
	balanceAfter: number | null;
	/** "大米 × 1，食用油 × 2"; empty when the event is not at hand. */
	items: string;
	/** When the kiosk made the redemption (device time, ISO). */
	occurredAt: string;
	deviceName: string | null;
	resolvedAt: string | null;
	resolverName: string | null;
	resolutionNote: string | null;
}

export interface EventWarningRow {
	eventId: string;
	what: string;
	warning: string;
	receivedAt: string;
	deviceName: string | null;
}

export interface ReviewFlagsView {
	timeZone: string;
	openCount: number;
	flags: ReviewFlagRow[];
	/** Warnings of applied events that have no flag, newest first. */
	warnings: EventWarningRow[];
}

const EVENT_NAMES: Record<string, string> = {
	redemption: '兑换',
	stockReceipt: '入库',
	stockLoss: '报损',
	void: '撤销兑换',
	dayClose: '日结'
};

/** What the page needs of a pushed redemption's body; anything else is not read. */
const PushedLinesSchema = v.object({
	payload: v.object({
		lines: v.array(v.object({ itemId: v.number(), quantity: v.number() }))
	})
});
const DetailsSchema = v.object({ balanceAfter: v.optional(v.number()) });

function parsed<T extends v.GenericSchema>(
	schema: T,
	json: string | null
): v.InferOutput<T> | null {
	if (json === null) return null;
	try {
		const result = v.safeParse(schema, JSON.parse(json));
		return result.success ? result.output : null;
	} catch {
		return null;
	}
}

/** Open (`resolved` false) or resolved flags of a community, newest first, with what to judge by. */
export async function listReviewFlags(
	db: Kysely<Database>,
	communityId: number,
	resolved: boolean
): Promise<ReviewFlagRow[]> {
	const rows = await db
		.selectFrom('review_flags as f')
		.innerJoin('residents as r', 'r.id', 'f.resident_id')
		.innerJoin('households as h', 'h.id', 'r.household_id')
		.innerJoin('ledger_entries as e', 'e.id', 'f.ledger_entry_id')
		.leftJoin('devices as d', (join) =>
			join.onRef('d.id', '=', 'e.actor_id').on('e.actor_kind', '=', 'device')
		)
		.leftJoin('received_events as re', 're.id', 'f.event_id')
		.leftJoin('office_accounts as a', 'a.id', 'f.resolved_by_account_id')
		.select([
			'f.id',
			'f.kind',
			'f.details',
			'f.resolved_at',
			'f.resolution_note',
			'r.id as residentId',
			'r.name as residentName',
			'h.label as householdLabel',
			'e.points',
			'e.occurred_at',
			'd.name as deviceName',
			're.body',
			'a.display_name as resolverName'
		])
		.where('f.community_id', '=', communityId)
		.where('f.resolved_at', resolved ? 'is not' : 'is', null)
		.orderBy('f.created_at', 'desc')
		.orderBy('f.id', 'desc')
		.limit(PAGE_ROWS)
		.execute();
	const lines = rows.map((row) => parsed(PushedLinesSchema, row.body)?.payload.lines ?? []);
	const names = await itemNames(db, communityId, lines.flat());
	return rows.map((row, index) => ({
		id: row.id,
		kind: row.kind,
		kindName: REVIEW_FLAG_KIND_NAMES[row.kind],
		residentId: row.residentId,
		residentName: row.residentName,
		householdLabel: row.householdLabel,
		points: -row.points,
		balanceAfter: parsed(DetailsSchema, row.details)?.balanceAfter ?? null,
		items: lines[index]!.map(
			(line) => `${names.get(line.itemId) ?? `物品 ${line.itemId}`} × ${line.quantity}`
		).join('，'),
		occurredAt: row.occurred_at,
		deviceName: row.deviceName,
		resolvedAt: row.resolved_at,
		resolverName: row.resolverName,
		resolutionNote: row.resolution_note
	}));
}

/** Warnings of applied events that no flag covers (review_flags names its event), newest first. */
export async function listUnflaggedWarnings(
	db: Kysely<Database>,
	communityId: number
): Promise<EventWarningRow[]> {
	const rows = await db
		.selectFrom('received_events as re')
		.leftJoin('devices as d', 'd.id', 're.device_id')
		.select(['re.id', 're.type', 're.warning', 're.received_at', 'd.name as deviceName'])
		.where('re.community_id', '=', communityId)
		.where('re.warning', 'is not', null)
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(selectFrom('review_flags as f').select('f.id').whereRef('f.event_id', '=', 're.id'))
			)
		)
		.orderBy('re.received_at', 'desc')
		.limit(PAGE_ROWS)
		.execute();
	return rows.map((row) => ({
		eventId: row.id,
		what: EVENT_NAMES[row.type] ?? '记录',
		warning: row.warning ?? '',
		receivedAt: row.received_at,
		deviceName: row.deviceName
	}));
}

/** The number of open flags (the menu's badge, the page's heading). */
export async function countOpenReviewFlags(
	db: Kysely<Database>,
	communityId: number
): Promise<number> {
	const row = await db
		.selectFrom('review_flags')
		.select((eb) => eb.fn.countAll<number>().as('count'))
		.where('community_id', '=', communityId)
		.where('resolved_at', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(row.count);
}

/** Everything the 待核查 page shows. */
export async function reviewFlagsView(
	db: Kysely<Database>,
	communityId: number,
	resolved: boolean
): Promise<ReviewFlagsView> {
	const community = await db
		.selectFrom('communities')
		.select('time_zone')
		.where('id', '=', communityId)
		.executeTakeFirstOrThrow();
	return {
		timeZone: community.time_zone,
		openCount: await countOpenReviewFlags(db, communityId),
		flags: await listReviewFlags(db, communityId, resolved),
		warnings: resolved ? [] : await listUnflaggedWarnings(db, communityId)
	};
}

export type ResolveOutcome = { ok: true } | { ok: false; message: string };

/**
 * A 管理员 marks a flag resolved, with an optional note; audited in the same transaction. A flag
 * of another community is as unknown as one that does not exist; a resolved one stays as it was.
 */
export async function resolveReviewFlag(
	db: Kysely<Database>,
	actor: OfficeActor,
	flagId: number,
	note: string,
	now: Date = new Date()
): Promise<ResolveOutcome> {
	if (actor.role !== 'admin') return { ok: false, message: '只有管理员可以处理待核查的记录' };
	const text = note.trim();
	if (text.length > RESOLUTION_NOTE_MAX) {
		return { ok: false, message: `处理说明最多 ${RESOLUTION_NOTE_MAX} 个字` };
	}
	return db.transaction().execute(async (trx): Promise<ResolveOutcome> => {
		const flag = await trx
			.selectFrom('review_flags as f')
			.innerJoin('residents as r', 'r.id', 'f.resident_id')
			.leftJoin('office_accounts as a', 'a.id', 'f.resolved_by_account_id')
			.select([
				'f.kind',
				'f.resident_id',
				'f.resolved_at',
				'r.name as residentName',
				'a.display_name as resolverName'
			])
			.where('f.id', '=', flagId)
			.where('f.community_id', '=', actor.community_id)
			.executeTakeFirst();
		if (!flag) return { ok: false, message: '找不到这条待核查的记录' };
		if (flag.resolved_at !== null) {
			return {
				ok: false,
				message: `这条记录已经由${flag.resolverName ?? '其他人'}处理过了，不用再处理`
			};
		}
		// `resolved_at is null` again: of two admins pressing at once, one resolves it.
		const updated = await trx
			.updateTable('review_flags')
			.set({
				resolved_at: now.toISOString(),
				resolved_by_account_id: actor.id,
				resolution_note: text || null
			})
			.where('id', '=', flagId)
			.where('resolved_at', 'is', null)
			.executeTakeFirst();
		if (Number(updated.numUpdatedRows) !== 1) {
			return { ok: false, message: '这条记录已经由其他人处理过了，不用再处理' };
		}
		const kindName = REVIEW_FLAG_KIND_NAMES[flag.kind];
		await recordAudit(
			trx,
			{
				communityId: actor.community_id,
				accountId: actor.id,
				action: 'flag.resolve',
				subject: `resident:${flag.resident_id}`,
				summary: `核查完毕 ${flag.residentName} 的兑换（${kindName}）${text ? `：${text}` : ''}`,
				details: { flagId, kind: flag.kind, note: text || null }
			},
			now
		);
		return { ok: true };
	});
}
