import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDisplayFeed } from '../display/feed';
import { readChangePage } from '../sync/pull';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { createPointsWorld, type PointsWorld } from '../testing/points-fixtures';
import { recordPoints } from './point-records';
import { createRule, listRules, ruleInputFromForm, setRuleActive, updateRule } from './point-rules';

let temp: TempDatabase;
let world: PointsWorld;

beforeEach(async () => {
	temp = await openTempDatabase();
	world = await createPointsWorld(temp.db);
});

afterEach(() => temp.dispose());

const rule = (overrides: Record<string, unknown> = {}) => ({
	name: '垃圾分类',
	category: '环境卫生',
	kind: 'earn',
	points: 1,
	limitPeriod: null,
	limitCount: null,
	evidenceRequired: false,
	...overrides
});

const auditActions = async () =>
	(await temp.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map(
		(row) => row.action
	);

const ruleCount = async () =>
	(await temp.db.selectFrom('point_rules').select('id').execute()).length;

describe('createRule', () => {
	it('stores an earn rule with positive points and a penalty rule with negative points, with an audit row each', async () => {
		const earn = await createRule(temp.db, world.admin, rule({ points: 3 }));
		const penalty = await createRule(
			temp.db,
			world.admin,
			rule({ name: '电动车楼道充电', kind: 'penalty', points: 10, category: '消防安全' })
		);
		expect(earn.ok && penalty.ok).toBe(true);
		const rows = await listRules(temp.db, world.communityId);
		expect(rows.find((r) => r.name === '垃圾分类')?.points).toBe(3);
		expect(rows.find((r) => r.name === '电动车楼道充电')).toMatchObject({
			points: -10,
			kind: 'penalty',
			category: '消防安全'
		});
		expect(await auditActions()).toEqual(['rule.create', 'rule.create']);
	});

	it.each([
		[{ points: 0 }, '分值请填 1 到 1000 之间的整数'],
		[{ points: 1_000_000 }, '分值请填 1 到 1000 之间的整数'],
		[{ points: -5 }, '分值请填 1 到 1000 之间的整数'],
		[{ points: 2.5 }, '分值请填 1 到 1000 之间的整数'],
		[{ name: '   ' }, '请填写项目名称'],
		[{ name: '很'.repeat(31) }, '项目名称最多 30 个字'],
		[{ kind: 'bonus' }, '请选择积分清单或负面清单'],
		[
			{ limitPeriod: 'week', limitCount: null },
			'次数上限要同时选择周期（每天、每周或每月）和次数，或者都不填'
		],
		[
			{ limitPeriod: null, limitCount: 2 },
			'次数上限要同时选择周期（每天、每周或每月）和次数，或者都不填'
		],
		[{ limitPeriod: 'year', limitCount: 2 }, '请选择每天、每周或每月'],
		[{ limitPeriod: 'day', limitCount: 0 }, '次数请填 1 到 100 之间的整数']
	])('refuses %o with a Chinese reason and stores nothing', async (overrides, message) => {
		const before = await ruleCount();
		expect(await createRule(temp.db, world.admin, rule(overrides))).toEqual({ ok: false, message });
		expect(await ruleCount()).toBe(before);
		expect(await auditActions()).toEqual([]);
	});

	it('refuses a second active rule of the same name in the same list', async () => {
		const outcome = await createRule(temp.db, world.admin, rule({ name: '楼道清洁' }));
		expect(outcome).toEqual({ ok: false, message: '积分清单里已经有“楼道清洁”' });
	});

	it('keeps HTML typed into a name as plain text', async () => {
		await createRule(temp.db, world.admin, rule({ name: '<script>alert(1)</script>' }));
		const rows = await listRules(temp.db, world.communityId);
		expect(rows.some((r) => r.name === '<script>alert(1)</script>')).toBe(true);
	});
});

describe('ruleInputFromForm', () => {
	const form = (fields: Record<string, string>) => {
		const data = new FormData();
		for (const [name, value] of Object.entries(fields)) data.set(name, value);
		return data;
	};

	it('reads empty limit fields as no limit and a ticked box as evidence required', () => {
		const parsed = ruleInputFromForm(
			form({
				name: ' 志愿巡逻 ',
				category: '',
				kind: 'earn',
				points: '5',
				limitPeriod: '',
				limitCount: '',
				evidenceRequired: 'on'
			})
		);
		expect(parsed.success && parsed.output).toEqual({
			name: '志愿巡逻',
			category: '',
			kind: 'earn',
			points: 5,
			limitPeriod: null,
			limitCount: null,
			evidenceRequired: true
		});
	});

	it('refuses points typed as text', () => {
		const parsed = ruleInputFromForm(form({ name: 'x', kind: 'earn', points: '五' }));
		expect(parsed.success).toBe(false);
	});
});

describe('updateRule', () => {
	it('changes the rule but never the entries recorded under it', async () => {
		const recorded = await recordPoints(temp.db, world.admin, {
			ruleId: world.rules.dogs,
			occurredOn: new Date().toISOString().slice(0, 10),
			residentIds: [world.residents[0]!],
			note: '3栋门口',
			photo: null,
			batchKey: 'update-rule-batch'
		});
		expect(recorded.ok).toBe(true);
		const outcome = await updateRule(
			temp.db,
			world.admin,
			world.rules.dogs,
			rule({ name: '遛狗不拴绳', kind: 'penalty', points: 8 })
		);
		expect(outcome.ok).toBe(true);
		const entry = await temp.db
			.selectFrom('ledger_entries')
			.select(['rule_name', 'points'])
			.where('rule_id', '=', world.rules.dogs)
			.executeTakeFirstOrThrow();
		expect(entry).toEqual({ rule_name: '遛狗不牵绳', points: -5 });
		const rules = await listRules(temp.db, world.communityId);
		expect(rules.find((r) => r.id === world.rules.dogs)).toMatchObject({
			name: '遛狗不拴绳',
			points: -8
		});
		expect(await auditActions()).toEqual(['points.record', 'rule.update']);
	});

	it('refuses a rule of another community', async () => {
		const foreignAdmin = { ...world.admin, community_id: world.foreignCommunityId };
		expect(await updateRule(temp.db, foreignAdmin, world.rules.stairs, rule())).toEqual({
			ok: false,
			message: '找不到这个项目'
		});
	});
});

describe('retiring and reactivating', () => {
	it('retires and reactivates with an audit row each, and refuses doing it twice', async () => {
		expect((await setRuleActive(temp.db, world.admin, world.rules.stairs, false)).ok).toBe(true);
		expect(await setRuleActive(temp.db, world.admin, world.rules.stairs, false)).toEqual({
			ok: false,
			message: '这个项目已经停用了'
		});
		expect((await setRuleActive(temp.db, world.admin, world.rules.stairs, true)).ok).toBe(true);
		expect(await auditActions()).toEqual(['rule.retire', 'rule.reactivate']);
	});
});

describe('the lobby display', () => {
	it('shows an edited earn rule with a new feed version, and no longer shows a retired one', async () => {
		const first = await buildDisplayFeed(temp.db, world.communityId);
		expect(first?.earnRules).toEqual([{ name: '楼道清洁', points: 2 }]);

		await updateRule(
			temp.db,
			world.admin,
			world.rules.stairs,
			rule({ name: '楼道清扫', points: 3 })
		);
		const edited = await buildDisplayFeed(temp.db, world.communityId);
		expect(edited?.earnRules).toEqual([{ name: '楼道清扫', points: 3 }]);
		expect(edited?.version).not.toBe(first?.version);

		await setRuleActive(temp.db, world.admin, world.rules.stairs, false);
		const retired = await buildDisplayFeed(temp.db, world.communityId);
		expect(retired?.earnRules).toEqual([]);
		expect(retired?.version).not.toBe(edited?.version);
	});

	it('sends kiosks the first active earn rules with the community, in the same change as the edit', async () => {
		const kioskRules = async () => {
			const page = await readChangePage(temp.db, world.communityId, 0, 1000);
			const community = page.changes.find((change) => change.entity === 'community');
			return community?.entity === 'community' ? community.data.earnRules : undefined;
		};
		await createRule(temp.db, world.admin, rule({ name: '志愿巡逻', points: 5 }));
		await createRule(temp.db, world.admin, rule({ name: '乱扔垃圾', kind: 'penalty', points: 2 }));
		expect(await kioskRules()).toEqual([
			{ name: '楼道清洁', points: 2 },
			{ name: '志愿巡逻', points: 5 }
		]);

		await setRuleActive(temp.db, world.admin, world.rules.stairs, false);
		expect(await kioskRules()).toEqual([{ name: '志愿巡逻', points: 5 }]);
	});
});
