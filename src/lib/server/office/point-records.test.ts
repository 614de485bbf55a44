import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { businessDate } from '$lib/domain/business-date';
import { residentBalance } from '../ledger/balances';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { createPointsWorld, type PointsWorld } from '../testing/points-fixtures';
import {
	approveAllRecords,
	approveRecords,
	correctEntry,
	describeBatch,
	loadCorrectableEntry,
	pendingPoints,
	recordPoints,
	refuseRecord,
	type RecordPointsInput
} from './point-records';

let temp: TempDatabase;
let world: PointsWorld;
const now = new Date('2026-12-06T03:00:00Z');
const today = businessDate(now, 'Asia/Shanghai');
let keys = 0;

beforeEach(async () => {
	temp = await openTempDatabase();
	world = await createPointsWorld(temp.db);
});

afterEach(() => temp.dispose());

const batch = (overrides: Partial<RecordPointsInput> = {}): RecordPointsInput => ({
	ruleId: world.rules.stairs,
	occurredOn: today,
	residentIds: world.residents.slice(0, 3),
	note: null,
	photo: null,
	batchKey: `test-batch-${++keys}`,
	...overrides
});

const count = async (table: 'ledger_entries' | 'point_records' | 'audit_log' | 'changes') =>
	Number(
		(
			await temp.db
				.selectFrom(table)
				.select(({ fn }) => fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);

const snapshot = async () => ({
	ledger: await count('ledger_entries'),
	records: await count('point_records'),
	audit: await count('audit_log'),
	changes: await count('changes')
});

const records = () => temp.db.selectFrom('point_records').selectAll().orderBy('id').execute();

describe('recordPoints by an admin', () => {
	it('approves a batch at once: one ledger entry per resident with the rule’s name, the new balances on the kiosk feed, one audit row', async () => {
		const outcome = await recordPoints(temp.db, world.admin, batch(), now);
		expect(outcome).toEqual({
			ok: true,
			duplicate: false,
			ruleName: '楼道清洁',
			points: 2,
			count: 3,
			occurredOn: today,
			status: 'approved'
		});
		const entries = await temp.db.selectFrom('ledger_entries').selectAll().orderBy('id').execute();
		expect(entries.map((e) => [e.resident_id, e.points, e.reason, e.rule_name])).toEqual(
			world.residents.slice(0, 3).map((id) => [id, 2, 'earn', '楼道清洁'])
		);
		const saved = await records();
		expect(saved.every((r) => r.status === 'approved' && r.ledger_entry_id !== null)).toBe(true);
		const feed = await temp.db
			.selectFrom('changes')
			.select(['entity_id', 'data'])
			.where('entity', '=', 'resident')
			.execute();
		for (const id of world.residents.slice(0, 3)) {
			const change = feed.find((row) => row.entity_id === id);
			expect(JSON.parse(change!.data).balance).toBe(2);
		}
		const audit = await temp.db.selectFrom('audit_log').selectAll().execute();
		expect(audit.map((a) => [a.action, a.summary])).toEqual([
			['points.record', '录入积分 楼道清洁 · 2 分 × 3 人 = 6 分 · 12月6日']
		]);
	});

	it('records the same batch once when the form is submitted twice', async () => {
		const form = batch();
		const first = await recordPoints(temp.db, world.admin, form, now);
		const again = await recordPoints(temp.db, world.admin, form, now);
		expect(first.ok && !first.duplicate).toBe(true);
		expect(again).toMatchObject({ ok: true, duplicate: true, count: 3, status: 'approved' });
		expect(await count('ledger_entries')).toBe(3);
		expect(await count('point_records')).toBe(3);
		expect(await count('audit_log')).toBe(1);
	});

	it('records a resident listed twice once', async () => {
		const id = world.residents[0]!;
		const outcome = await recordPoints(temp.db, world.admin, batch({ residentIds: [id, id] }), now);
		expect(outcome).toMatchObject({ ok: true, count: 1 });
	});

	it('keeps a penalty’s note and its negative points', async () => {
		const outcome = await recordPoints(
			temp.db,
			world.admin,
			batch({
				ruleId: world.rules.dogs,
				residentIds: [world.residents[0]!],
				note: '<b>小区花园</b>'
			}),
			now
		);
		expect(outcome.ok).toBe(true);
		expect(await residentBalance(temp.db, world.residents[0]!)).toBe(-5);
		const entry = await temp.db.selectFrom('ledger_entries').selectAll().executeTakeFirstOrThrow();
		expect([entry.reason, entry.note]).toEqual(['penalty', '<b>小区花园</b>']);
	});
});

describe('recordPoints refuses, records nothing and says why', () => {
	const refusedWith = async (
		input: RecordPointsInput,
		message: string | RegExp,
		actor = world.admin
	) => {
		const before = await snapshot();
		const outcome = await recordPoints(temp.db, actor, input, now);
		expect(outcome.ok).toBe(false);
		if (!outcome.ok) expect(outcome.message).toMatch(message);
		expect(await snapshot()).toEqual(before);
		return outcome;
	};

	it('a moved-out resident, naming them', async () => {
		const outcome = await refusedWith(
			batch({ residentIds: [world.residents[0]!, world.movedOut] }),
			'有 1 位居民不能记这一项，这一批都没有保存。请把他们移出名单后再保存。'
		);
		expect(!outcome.ok && outcome.refused).toEqual([
			{
				residentId: world.movedOut,
				name: expect.any(String),
				household: expect.any(String),
				reason: '已迁出，不能再记积分'
			}
		]);
	});

	it('a resident of another community', async () => {
		const outcome = await refusedWith(batch({ residentIds: [world.foreignResident] }), /1 位居民/);
		expect(!outcome.ok && outcome.refused[0]).toMatchObject({
			name: null,
			reason: '不是本社区的居民'
		});
	});

	it('a resident over the rule’s limit, counting pending records too', async () => {
		const first = world.residents[0]!;
		// The 网格员's record waits for review, and still counts.
		expect((await recordPoints(temp.db, world.grid, batch({ residentIds: [first] }), now)).ok).toBe(
			true
		);
		const outcome = await refusedWith(
			batch({ residentIds: [first, world.residents[1]!] }),
			/1 位居民/
		);
		expect(!outcome.ok && outcome.refused[0]?.reason).toBe(
			'“楼道清洁”每周最多 1 次，这段时间已经记过 1 次'
		);
		// Next week the limit starts again (2026-12-06 is a Sunday).
		const nextWeek = await recordPoints(
			temp.db,
			world.admin,
			batch({ residentIds: [first], occurredOn: '2026-12-07' }),
			new Date('2026-12-07T03:00:00Z')
		);
		expect(nextWeek.ok).toBe(true);
	});

	it('a refused record does not count towards the limit', async () => {
		const first = world.residents[0]!;
		await recordPoints(temp.db, world.grid, batch({ residentIds: [first] }), now);
		const [pending] = await records();
		await refuseRecord(temp.db, world.admin, pending!.id, '那天没有打扫', now);
		const outcome = await recordPoints(temp.db, world.admin, batch({ residentIds: [first] }), now);
		expect(outcome.ok).toBe(true);
	});

	it('a retired rule', () =>
		refusedWith(batch({ ruleId: world.rules.retired }), '“旧项目”已经停用，请选择其他项目'));

	it('a rule of another community', async () => {
		const foreignAdmin = { ...world.admin, community_id: world.foreignCommunityId };
		await refusedWith(batch(), '找不到这个积分项目', foreignAdmin);
	});

	it('a penalty without a note', () =>
		refusedWith(batch({ ruleId: world.rules.dogs, note: '   ' }), '扣分必须写明情况说明'));

	it('a rule that needs evidence, without a note or a photo', async () => {
		await temp.db
			.updateTable('point_rules')
			.set({ evidence_required: 1 })
			.where('id', '=', world.rules.stairs)
			.execute();
		await refusedWith(batch(), '“楼道清洁”需要填写说明或上传照片作为依据');
		const withPhoto = await recordPoints(
			temp.db,
			world.admin,
			batch({ photo: `${'a'.repeat(32)}.jpg` }),
			now
		);
		expect(withPhoto.ok).toBe(true);
	});

	it('a day in the future, a day long ago, and no day at all', async () => {
		await refusedWith(batch({ occurredOn: '2026-12-07' }), '日期不能晚于今天');
		await refusedWith(batch({ occurredOn: '2025-12-06' }), '只能录入最近 90 天内的事');
		await refusedWith(batch({ occurredOn: '2026-02-30' }), '请选择正确的日期');
	});

	it('an empty list, an oversized list and a form without its key', async () => {
		await refusedWith(batch({ residentIds: [] }), '请至少添加一位居民');
		await refusedWith(
			batch({ residentIds: Array.from({ length: 501 }, (_, i) => i + 1) }),
			'一次最多录入 500 位居民，请分批录入'
		);
		await refusedWith(batch({ batchKey: '' }), '表单已过期，请刷新页面后重新录入');
	});

	it('a note over 200 characters', () =>
		refusedWith(batch({ note: '长'.repeat(201) }), '说明最多 200 个字'));

	it('a shopkeeper', () => refusedWith(batch(), '你的账号不能录入积分', world.shopkeeper));

	it('another account’s form key', async () => {
		const form = batch();
		await recordPoints(temp.db, world.grid, form, now);
		await refusedWith(form, '表单已过期，请刷新页面后重新录入');
	});
});

describe('review', () => {
	const gridBatch = async (residentIds = world.residents.slice(0, 3)) => {
		const outcome = await recordPoints(temp.db, world.grid, batch({ residentIds }), now);
		expect(outcome).toMatchObject({ ok: true, status: 'pending' });
		return (await records()).filter((r) => r.status === 'pending').map((r) => r.id);
	};

	it('keeps a 网格员’s points pending and unspendable until an admin approves them', async () => {
		const ids = await gridBatch();
		expect(await count('ledger_entries')).toBe(0);
		expect(await residentBalance(temp.db, world.residents[0]!)).toBe(0);
		expect((await pendingPoints(temp.db, world.residents)).get(world.residents[0]!)).toBe(2);

		expect(await approveRecords(temp.db, world.admin, ids, now)).toEqual({ ok: true, count: 3 });
		expect(await residentBalance(temp.db, world.residents[0]!)).toBe(2);
		expect((await pendingPoints(temp.db, world.residents)).size).toBe(0);
		const approved = await records();
		expect(
			approved.every((r) => r.status === 'approved' && r.decided_by_account_id === world.admin.id)
		).toBe(true);
		const entries = await temp.db.selectFrom('ledger_entries').selectAll().execute();
		expect(entries.map((e) => [e.rule_name, e.actor_id])).toEqual(
			ids.map(() => ['楼道清洁', String(world.grid.id)])
		);
		const feed = await temp.db
			.selectFrom('changes')
			.select('data')
			.where('entity', '=', 'resident')
			.where('entity_id', '=', world.residents[0]!)
			.execute();
		expect(JSON.parse(feed.at(-1)!.data).balance).toBe(2);
	});

	it('records a 网格员’s points at once when the community turned review off', async () => {
		await temp.db.updateTable('communities').set({ review_points: 0 }).execute();
		const outcome = await recordPoints(temp.db, world.grid, batch(), now);
		expect(outcome).toMatchObject({ ok: true, status: 'approved' });
		expect(await count('ledger_entries')).toBe(3);
	});

	it('refuses a 网格员 approving, refusing or approving all, and changes nothing', async () => {
		const ids = await gridBatch();
		const before = await snapshot();
		expect(await approveRecords(temp.db, world.grid, ids, now)).toMatchObject({
			ok: false,
			forbidden: true
		});
		expect(await approveAllRecords(temp.db, world.grid, now)).toMatchObject({
			ok: false,
			forbidden: true
		});
		expect(await refuseRecord(temp.db, world.grid, ids[0]!, '不行', now)).toMatchObject({
			ok: false,
			forbidden: true
		});
		expect(await snapshot()).toEqual(before);
	});

	it('refuses anyone approving or refusing their own records', async () => {
		const ids = await gridBatch();
		// The 网格员 was made an admin since: still not their own reviewer.
		const promoted = { ...world.grid, role: 'admin' as const };
		const before = await snapshot();
		expect(await approveRecords(temp.db, promoted, ids, now)).toEqual({
			ok: false,
			forbidden: true,
			message: '不能审核自己录入的积分，请另一位管理员审核'
		});
		expect(await refuseRecord(temp.db, promoted, ids[0]!, '写错了', now)).toMatchObject({
			forbidden: true
		});
		expect(await approveAllRecords(temp.db, promoted, now)).toMatchObject({ ok: false });
		expect(await snapshot()).toEqual(before);
	});

	it('approves all pending records at once and refuses approving one twice', async () => {
		const ids = await gridBatch(world.residents.slice(0, 2));
		await gridBatch(world.residents.slice(2, 4));
		expect(await approveAllRecords(temp.db, world.admin, now)).toEqual({ ok: true, count: 4 });
		expect(await approveRecords(temp.db, world.otherAdmin, ids, now)).toEqual({
			ok: false,
			forbidden: false,
			message: '有记录已经审核过了，请刷新页面'
		});
		expect(await count('ledger_entries')).toBe(4);
	});

	it('refuses a record with a reason, which writes nothing to the ledger, and needs the reason', async () => {
		const [id] = await gridBatch([world.residents[0]!]);
		expect(await refuseRecord(temp.db, world.admin, id!, '  ', now)).toMatchObject({
			ok: false,
			message: '请写明不通过的原因'
		});
		expect(await refuseRecord(temp.db, world.admin, id!, '<i>照片看不清</i>', now)).toEqual({
			ok: true,
			count: 1
		});
		const [record] = await records();
		expect([record!.status, record!.refusal_reason]).toEqual(['refused', '<i>照片看不清</i>']);
		expect(await count('ledger_entries')).toBe(0);
		expect(await approveRecords(temp.db, world.admin, [id!], now)).toMatchObject({ ok: false });
	});

	it('does not approve points for a resident who moved out while they waited', async () => {
		const [id] = await gridBatch([world.residents[0]!]);
		await temp.db
			.updateTable('residents')
			.set({ active: 0 })
			.where('id', '=', world.residents[0]!)
			.execute();
		expect(await approveRecords(temp.db, world.admin, [id!], now)).toMatchObject({
			ok: false,
			message: expect.stringContaining('已迁出')
		});
		expect(await count('ledger_entries')).toBe(0);
	});
});

describe('correctEntry', () => {
	const recordedEntry = async () => {
		await recordPoints(temp.db, world.admin, batch({ residentIds: [world.residents[0]!] }), now);
		const entry = await temp.db.selectFrom('ledger_entries').select('id').executeTakeFirstOrThrow();
		return entry.id;
	};

	it('writes a reversal naming the entry, with the points negated and the reason; the original stays', async () => {
		const entryId = await recordedEntry();
		const outcome = await correctEntry(temp.db, world.admin, entryId, '记错了人', now);
		expect(outcome.ok).toBe(true);
		const entries = await temp.db.selectFrom('ledger_entries').selectAll().orderBy('id').execute();
		expect(entries.map((e) => [e.points, e.reason, e.reverses_entry_id, e.note])).toEqual([
			[2, 'earn', null, null],
			[-2, 'reversal', entryId, '记错了人']
		]);
		expect(await residentBalance(temp.db, world.residents[0]!)).toBe(0);
		expect((await loadCorrectableEntry(temp.db, world.communityId, entryId))?.reversal?.note).toBe(
			'记错了人'
		);
		const actions = await temp.db.selectFrom('audit_log').select('action').execute();
		expect(actions.map((a) => a.action)).toEqual(['points.record', 'points.correct']);
	});

	it('corrects an entry only once, needs a reason, and is for admins only', async () => {
		const entryId = await recordedEntry();
		expect(await correctEntry(temp.db, world.admin, entryId, '', now)).toMatchObject({
			ok: false,
			message: '请写明更正的原因'
		});
		expect(await correctEntry(temp.db, world.grid, entryId, '错了', now)).toMatchObject({
			ok: false,
			forbidden: true
		});
		expect((await correctEntry(temp.db, world.admin, entryId, '错了', now)).ok).toBe(true);
		const before = await snapshot();
		expect(await correctEntry(temp.db, world.otherAdmin, entryId, '又错了', now)).toMatchObject({
			ok: false,
			message: '这条记录已经更正过了'
		});
		expect(await snapshot()).toEqual(before);
	});

	it('refuses an entry of another community or one that is not an earn or penalty entry', async () => {
		const entryId = await recordedEntry();
		const foreignAdmin = { ...world.admin, community_id: world.foreignCommunityId };
		expect(await correctEntry(temp.db, foreignAdmin, entryId, '错了', now)).toMatchObject({
			ok: false
		});
		await correctEntry(temp.db, world.admin, entryId, '错了', now);
		const reversal = await temp.db
			.selectFrom('ledger_entries')
			.select('id')
			.where('reason', '=', 'reversal')
			.executeTakeFirstOrThrow();
		expect(await correctEntry(temp.db, world.admin, reversal.id, '再冲一次', now)).toMatchObject({
			ok: false,
			message: '找不到这条积分记录（只能更正加分和扣分）'
		});
	});

	it('is refused by the database itself when a second reversal of one entry slips through', async () => {
		const entryId = await recordedEntry();
		const reversal = {
			community_id: world.communityId,
			resident_id: world.residents[0]!,
			points: -2,
			reason: 'reversal' as const,
			reverses_entry_id: entryId,
			actor_kind: 'office_account' as const,
			actor_id: String(world.admin.id),
			occurred_at: now.toISOString(),
			recorded_at: now.toISOString()
		};
		await temp.db.insertInto('ledger_entries').values(reversal).execute();
		await expect(temp.db.insertInto('ledger_entries').values(reversal).execute()).rejects.toThrow(
			/UNIQUE/
		);
	});
});

describe('describeBatch', () => {
	it('says the batch as the confirmation shows it', () => {
		expect(
			describeBatch({ ruleName: '楼道清洁', points: 2, count: 23, occurredOn: '2026-12-06' })
		).toBe('楼道清洁 · 2 分 × 23 人 = 46 分 · 12月6日');
	});
});
