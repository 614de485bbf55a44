import type { Kysely } from 'kysely';
import * as v from 'valibot';
import { describeLimit, LIMIT_PERIODS, type LimitPeriod } from '$lib/domain/point-limits';
import type { OfficeSession } from '../auth/sessions';
import type { Database, PointRuleKind } from '../db/schema';
import { inTransaction } from '../db/transactions';
import { recordCommunityChange } from '../sync/change-feed';
import { recordAudit } from './audit';

/*
 * The points list (积分清单, positive points) and the negative list (负面清单, negative points) as
 * the office edits them. A rule is never deleted, only retired (active = 0): past entries keep
 * the name and points the rule had when they were recorded, so an edit changes nothing behind it.
 * The lobby display reads the active earn rules straight from this table (display/feed.ts), and
 * its version is a digest of what it shows, so an edit or a retirement reaches the TV at its
 * next feed check.
 */

/** Who acts in the office, as the guard answers it. */
export type OfficeActor = Pick<OfficeSession, 'id' | 'community_id' | 'role'>;

export const RULE_KIND_NAMES: Record<PointRuleKind, string> = {
	earn: '积分清单',
	penalty: '负面清单'
};

export const RULE_POINTS_MAX = 1000;
export const RULE_NAME_MAX = 30;
export const RULE_CATEGORY_MAX = 20;
export const RULE_LIMIT_COUNT_MAX = 100;

const formText = (value: FormDataEntryValue | null) => (typeof value === 'string' ? value : '');

/** A whole number typed in a form, or NaN (which the schema refuses with its message). */
const formInteger = (text: string) => (/^\s*-?\d+\s*$/.test(text) ? Number(text) : NaN);

const PointsSchema = v.pipe(
	v.number(),
	v.integer(`分值请填 1 到 ${RULE_POINTS_MAX} 之间的整数`),
	v.minValue(1, `分值请填 1 到 ${RULE_POINTS_MAX} 之间的整数`),
	v.maxValue(RULE_POINTS_MAX, `分值请填 1 到 ${RULE_POINTS_MAX} 之间的整数`)
);

export const RuleInputSchema = v.pipe(
	v.object({
		name: v.pipe(
			v.string(),
			v.trim(),
			v.minLength(1, '请填写项目名称'),
			v.maxLength(RULE_NAME_MAX, `项目名称最多 ${RULE_NAME_MAX} 个字`)
		),
		category: v.pipe(
			v.string(),
			v.trim(),
			v.maxLength(RULE_CATEGORY_MAX, `分类最多 ${RULE_CATEGORY_MAX} 个字`)
		),
		kind: v.picklist(['earn', 'penalty'], '请选择积分清单或负面清单'),
		/** How many points, without sign: the kind gives the sign. */
		points: PointsSchema,
		limitPeriod: v.nullable(v.picklist(LIMIT_PERIODS, '请选择每天、每周或每月')),
		limitCount: v.nullable(
			v.pipe(
				v.number(),
				v.integer(`次数请填 1 到 ${RULE_LIMIT_COUNT_MAX} 之间的整数`),
				v.minValue(1, `次数请填 1 到 ${RULE_LIMIT_COUNT_MAX} 之间的整数`),
				v.maxValue(RULE_LIMIT_COUNT_MAX, `次数请填 1 到 ${RULE_LIMIT_COUNT_MAX} 之间的整数`)
			)
		),
		evidenceRequired: v.boolean()
	}),
	v.check(
		(rule) => (rule.limitPeriod === null) === (rule.limitCount === null),
		'次数上限要同时选择周期（每天、每周或每月）和次数，或者都不填'
	)
);

export type RuleInput = v.InferOutput<typeof RuleInputSchema>;

export type RuleOutcome = { ok: true; ruleId: number } | { ok: false; message: string };

/** Reads the add/edit form of /admin/rules; an empty limit field means no limit. */
export function ruleInputFromForm(form: FormData): v.SafeParseResult<typeof RuleInputSchema> {
	const limitPeriod = formText(form.get('limitPeriod'));
	const limitCount = formText(form.get('limitCount')).trim();
	return v.safeParse(RuleInputSchema, {
		name: formText(form.get('name')),
		category: formText(form.get('category')),
		kind: formText(form.get('kind')),
		points: formInteger(formText(form.get('points'))),
		limitPeriod: limitPeriod === '' ? null : limitPeriod,
		limitCount: limitCount === '' ? null : formInteger(limitCount),
		evidenceRequired: form.get('evidenceRequired') !== null
	});
}

/** Validates a rule given as data (tests, imports): the first problem in Chinese, or the rule. */
export function checkRuleInput(
	input: unknown
): { ok: true; rule: RuleInput } | { ok: false; message: string } {
	const parsed = v.safeParse(RuleInputSchema, input);
	return parsed.success
		? { ok: true, rule: parsed.output }
		: { ok: false, message: parsed.issues[0].message };
}

const signedPoints = (rule: Pick<RuleInput, 'kind' | 'points'>) =>
	rule.kind === 'penalty' ? -rule.points : rule.points;

/** '清扫楼道（+2 分，每周最多 1 次）' for the audit list. */
function describeRule(rule: RuleInput): string {
	const points = signedPoints(rule);
	const limit = describeLimit(rule.limitPeriod, rule.limitCount);
	return `${rule.name}（${points > 0 ? '+' : ''}${points} 分${limit ? `，${limit}` : ''}）`;
}

async function nameTaken(
	db: Kysely<Database>,
	communityId: number,
	rule: RuleInput,
	exceptId: number | null
): Promise<boolean> {
	let query = db
		.selectFrom('point_rules')
		.select('id')
		.where('community_id', '=', communityId)
		.where('kind', '=', rule.kind)
		.where('name', '=', rule.name)
		.where('active', '=', 1);
	if (exceptId !== null) query = query.where('id', '!=', exceptId);
	return (await query.executeTakeFirst()) !== undefined;
}

const ruleColumns = (rule: RuleInput, now: Date) => ({
	kind: rule.kind,
	name: rule.name,
	category: rule.category,
	points: signedPoints(rule),
	limit_period: rule.limitPeriod,
	limit_count: rule.limitCount,
	evidence_required: rule.evidenceRequired ? (1 as const) : (0 as const),
	updated_at: now.toISOString()
});

export async function createRule(
	db: Kysely<Database>,
	actor: OfficeActor,
	input: unknown,
	now: Date = new Date()
): Promise<RuleOutcome> {
	const checked = checkRuleInput(input);
	if (!checked.ok) return checked;
	const rule = checked.rule;
	return inTransaction(db, async (trx) => {
		if (await nameTaken(trx, actor.community_id, rule, null)) {
			return { ok: false, message: `${RULE_KIND_NAMES[rule.kind]}里已经有“${rule.name}”` };
		}
		const last = await trx
			.selectFrom('point_rules')
			.select(({ fn }) => fn.max('sort_order').as('last'))
			.where('community_id', '=', actor.community_id)
			.executeTakeFirst();
		const row = await trx
			.insertInto('point_rules')
			.values({
				community_id: actor.community_id,
				active: 1,
				sort_order: Number(last?.last ?? 0) + 1,
				...ruleColumns(rule, now)
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await recordAudit(
			trx,
			{
				communityId: actor.community_id,
				accountId: actor.id,
				action: 'rule.create',
				subject: `rule:${row.id}`,
				summary: `新增${RULE_KIND_NAMES[rule.kind]}项目 ${describeRule(rule)}`,
				details: rule
			},
			now
		);
		// The counter shows the first earn rules to residents short of points (change-feed.ts).
		await recordCommunityChange(trx, actor.community_id, now);
		return { ok: true, ruleId: row.id };
	});
}

/** Edits a rule; past entries keep the name and points they were recorded with. */
export async function updateRule(
	db: Kysely<Database>,
	actor: OfficeActor,
	ruleId: number,
	input: unknown,
	now: Date = new Date()
): Promise<RuleOutcome> {
	const checked = checkRuleInput(input);
	if (!checked.ok) return checked;
	const rule = checked.rule;
	return db.transaction().execute(async (trx) => {
		const before = await trx
			.selectFrom('point_rules')
			.selectAll()
			.where('id', '=', ruleId)
			.where('community_id', '=', actor.community_id)
			.executeTakeFirst();
		if (!before) return { ok: false, message: '找不到这个项目' };
		if (await nameTaken(trx, actor.community_id, rule, ruleId)) {
			return { ok: false, message: `${RULE_KIND_NAMES[rule.kind]}里已经有“${rule.name}”` };
		}
		await trx
			.updateTable('point_rules')
			.set(ruleColumns(rule, now))
			.where('id', '=', ruleId)
			.execute();
		await recordAudit(
			trx,
			{
				communityId: actor.community_id,
				accountId: actor.id,
				action: 'rule.update',
				subject: `rule:${ruleId}`,
				summary: `修改项目 ${before.name}（${before.points} 分）→ ${describeRule(rule)}`,
				details: { before, after: rule }
			},
			now
		);
		// The counter shows the first earn rules to residents short of points (change-feed.ts).
		await recordCommunityChange(trx, actor.community_id, now);
		return { ok: true, ruleId };
	});
}

/** Retires (active false) or reactivates a rule. A retired rule takes no new records. */
export async function setRuleActive(
	db: Kysely<Database>,
	actor: OfficeActor,
	ruleId: number,
	active: boolean,
	now: Date = new Date()
): Promise<RuleOutcome> {
	return db.transaction().execute(async (trx) => {
		const rule = await trx
			.selectFrom('point_rules')
			.select(['id', 'name', 'kind', 'active'])
			.where('id', '=', ruleId)
			.where('community_id', '=', actor.community_id)
			.executeTakeFirst();
		if (!rule) return { ok: false, message: '找不到这个项目' };
		if ((rule.active === 1) === active) {
			return { ok: false, message: active ? '这个项目已经在用了' : '这个项目已经停用了' };
		}
		if (active) {
			const sibling = await trx
				.selectFrom('point_rules')
				.select('id')
				.where('community_id', '=', actor.community_id)
				.where('kind', '=', rule.kind)
				.where('name', '=', rule.name)
				.where('active', '=', 1)
				.executeTakeFirst();
			if (sibling) return { ok: false, message: `已经有一个在用的“${rule.name}”` };
		}
		await trx
			.updateTable('point_rules')
			.set({ active: active ? 1 : 0, updated_at: now.toISOString() })
			.where('id', '=', ruleId)
			.execute();
		await recordAudit(
			trx,
			{
				communityId: actor.community_id,
				accountId: actor.id,
				action: active ? 'rule.reactivate' : 'rule.retire',
				subject: `rule:${ruleId}`,
				summary: `${active ? '重新启用' : '停用'}${RULE_KIND_NAMES[rule.kind]}项目 ${rule.name}`
			},
			now
		);
		// The counter shows the first earn rules to residents short of points (change-feed.ts).
		await recordCommunityChange(trx, actor.community_id, now);
		return { ok: true, ruleId };
	});
}

export interface RuleRow {
	id: number;
	kind: PointRuleKind;
	name: string;
	category: string;
	/** Signed. */
	points: number;
	limitPeriod: LimitPeriod | null;
	limitCount: number | null;
	evidenceRequired: boolean;
	active: boolean;
}

/** Every rule of a community, active ones first, in the office's order. */
export async function listRules(db: Kysely<Database>, communityId: number): Promise<RuleRow[]> {
	const rows = await db
		.selectFrom('point_rules')
		.select([
			'id',
			'kind',
			'name',
			'category',
			'points',
			'limit_period',
			'limit_count',
			'evidence_required',
			'active'
		])
		.where('community_id', '=', communityId)
		.orderBy('active', 'desc')
		.orderBy('sort_order')
		.orderBy('id')
		.execute();
	return rows.map((row) => ({
		id: row.id,
		kind: row.kind,
		name: row.name,
		category: row.category,
		points: row.points,
		limitPeriod: row.limit_period ?? null,
		limitCount: row.limit_count ?? null,
		evidenceRequired: row.evidence_required === 1,
		active: row.active === 1
	}));
}
