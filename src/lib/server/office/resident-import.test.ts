import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readResidentCsv } from '$lib/domain/resident-csv';
import { encodeGb18030 } from '$lib/domain/testing/gb18030';
import { createCommunity } from './communities';
import {
	commitResidentImport,
	exportResidentsCsv,
	importResidentsWithoutPreview,
	planForScreen,
	stageResidentImport,
	type ImportPlan
} from './resident-import';
import { createResident, setResidentLivingHere, type OfficeActor } from './residents';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';

let temp: TempDatabase;
let actor: OfficeActor;

const HEADER = '楼栋,单元,房号,住户标签,姓名,手机号';
const utf8 = (text: string) => new TextEncoder().encode(text);
const csv = (...lines: string[]) => utf8([HEADER, ...lines].join('\r\n') + '\r\n');

beforeEach(async () => {
	temp = await openTempDatabase();
	const communityId = await createCommunity(temp.db, { slug: 'imp', name: '导入社区' });
	const account = await temp.db
		.insertInto('office_accounts')
		.values({
			community_id: communityId,
			username: 'clerk',
			display_name: '办事员',
			password_hash: 'x',
			role: 'admin',
			active: 1,
			created_at: new Date().toISOString()
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	actor = { communityId, accountId: account.id };
});
afterEach(() => temp.dispose());

async function stage(bytes: Uint8Array, fileName = '居民.csv'): Promise<ImportPlan> {
	const staged = await stageResidentImport(
		temp.db,
		temp.dataDir,
		actor.communityId,
		fileName,
		bytes
	);
	if (!staged.ok) throw new Error(staged.message);
	return staged.plan;
}

async function commit(plan: ImportPlan) {
	return commitResidentImport(temp.db, temp.dataDir, actor, plan.token, plan.digest);
}

const residentCount = async () =>
	Number(
		(
			await temp.db
				.selectFrom('residents')
				.select(({ fn }) => fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);

const rowsOf = (plan: ImportPlan) => plan.rows.map((row) => [row.line, row.kind, row.detail]);

describe('importing residents', () => {
	it('plans row by row and writes nothing until confirmed', async () => {
		await createResident(temp.db, actor, {
			building: '3',
			room: '501',
			name: '王秀英',
			phone: '13800001234'
		});
		const plan = await stage(
			csv(
				'3栋,,501,,王秀英,13900005678',
				'3栋,,501,,李建国,',
				'5栋,1,102,,王强,',
				'3栋,,501,,王秀英,13900005678',
				',,,,赵六,',
				'3栋,,501,,"=cmd|\' /C calc\'!A0",'
			)
		);
		expect(rowsOf(plan)).toEqual([
			[2, 'change', '手机号 13800001234 → 13900005678'],
			[3, 'add', '新增居民'],
			[4, 'add', '新增居民（新住户 5栋1单元102）'],
			[5, 'refuse', '与第 2 行重复（同一户、同一姓名），这一行不导入'],
			[6, 'refuse', '请填写楼栋和房号，或填写住户标签'],
			[7, 'refuse', '「姓名」以“=”开头，像表格公式，为安全起见这一行不导入（请删掉开头的符号）']
		]);
		expect(plan.counts).toEqual({ add: 2, change: 1, same: 0, refuse: 3 });
		expect(plan.newHouseholds).toBe(1);
		expect(await residentCount()).toBe(1);

		expect(await commit(plan)).toEqual({ ok: true, added: 2, changed: 1, householdsAdded: 1 });
		expect(await residentCount()).toBe(3);
		const audit = await temp.db
			.selectFrom('audit_log')
			.select('summary')
			.where('action', '=', 'import.residents')
			.execute();
		expect(audit).toEqual([
			{ summary: '导入居民表格 居民.csv：新增居民 2 人（新住户 1 户），修改 1 人' }
		]);
		const fed = await temp.db
			.selectFrom('changes')
			.select('entity_id')
			.where('entity', '=', 'resident')
			.execute();
		// One feed row per resident: the changed one's earlier row was replaced.
		expect(fed).toHaveLength(3);
		// The staged upload is gone: confirming twice imports once.
		expect(await commit(plan)).toEqual({
			ok: false,
			message: '这次预览已经过期或已导入过，请重新上传表格'
		});
	});

	it('changes nothing when the same file is imported again', async () => {
		const file = csv('3栋,2,501,,王秀英,13800001234', ',,,老年公寓,赵桂兰,');
		await commit(await stage(file));
		const again = await stage(file);
		expect(again.counts).toEqual({ add: 0, change: 0, same: 2, refuse: 0 });
		const changesBefore = await temp.db.selectFrom('changes').select('seq').execute();
		expect(await commit(again)).toEqual({ ok: true, added: 0, changed: 0, householdsAdded: 0 });
		expect(await temp.db.selectFrom('changes').select('seq').execute()).toEqual(changesBefore);
		expect(await residentCount()).toBe(2);
	});

	it('imports in one step for the demo seed, inside its transaction, with the audit row', async () => {
		const file = csv('3栋,2,501,,王秀英,', '3栋,2,501,,王秀英,', '3栋,2,502,,李建国,');
		const outcome = await temp.db
			.transaction()
			.execute((trx) => importResidentsWithoutPreview(trx, actor, '居民.csv', file));
		expect(outcome).toEqual({ ok: true, added: 2, changed: 0, householdsAdded: 2, refused: 1 });
		expect(await residentCount()).toBe(2);
		const audit = await temp.db
			.selectFrom('audit_log')
			.select(['action', 'account_id'])
			.executeTakeFirstOrThrow();
		expect(audit).toEqual({ action: 'import.residents', account_id: actor.accountId });
		expect(await importResidentsWithoutPreview(temp.db, actor, 'x.csv', utf8(''))).toEqual({
			ok: false,
			message: '文件是空的'
		});
	});

	it('reads GB18030 as Excel saves it on a Chinese Windows', async () => {
		const plan = await stage(encodeGb18030([HEADER, '3号楼,2单元,501室,,王秀英,'].join('\r\n')));
		expect(plan.encoding).toBe('GB18030');
		expect(plan.rows[0]).toMatchObject({ kind: 'add', label: '3栋2单元501', name: '王秀英' });
	});

	it('refuses a moved-out resident rather than moving them back', async () => {
		const created = await createResident(temp.db, actor, {
			building: '3',
			room: '501',
			name: '王秀英'
		});
		await setResidentLivingHere(temp.db, actor, created.ok ? created.id : 0, false);
		const plan = await stage(csv('3,,501,,王秀英,13800001234'));
		expect(rowsOf(plan)).toEqual([
			[2, 'refuse', '这位居民已迁出，导入不会把人迁回；如需迁回，请在居民页操作']
		]);
	});

	it('applies nothing when the data changed after the dry run, and shows the new plan', async () => {
		const plan = await stage(csv('3,,501,,王秀英,13800001234'));
		await createResident(temp.db, actor, { building: '3', room: '501', name: '王秀英' });
		const result = await commit(plan);
		expect(result).toMatchObject({ ok: false, message: expect.stringContaining('有了变化') });
		expect(result.ok === false && result.plan && rowsOf(result.plan)).toEqual([
			[2, 'change', '手机号 （无） → 13800001234']
		]);
		expect(await residentCount()).toBe(1);
		// The new plan can be confirmed.
		expect(await commit(result.ok === false ? result.plan! : plan)).toMatchObject({
			ok: true,
			changed: 1
		});
	});

	it.each([
		['wrong encoding', new Uint8Array([0xa9, 0x6d, 0xa6, 0x57, 0x2c, 0xa9, 0x6d]), '乱码'],
		['missing columns', utf8('姓名,手机号\n王秀英,'), '表头缺少这些列：楼栋，单元，房号，住户标签'],
		['a 20 MB file', new Uint8Array(20 * 1024 * 1024).fill(0x41), '文件太大（20.0 MB）']
	])('refuses %s in Chinese and keeps nothing', async (_, bytes, message) => {
		const staged = await stageResidentImport(
			temp.db,
			temp.dataDir,
			actor.communityId,
			'x.csv',
			bytes
		);
		expect(staged).toEqual({ ok: false, message: expect.stringContaining(message) });
		expect(readdirSafe(join(temp.dataDir, 'imports'))).toEqual([]);
	});

	it('refuses a token of another community, or one that is not a token', async () => {
		const plan = await stage(csv('3,,501,,王秀英,'));
		const otherId = await createCommunity(temp.db, { slug: 'o', name: '别处' });
		const other = { ...actor, communityId: otherId };
		expect(
			await commitResidentImport(temp.db, temp.dataDir, other, plan.token, plan.digest)
		).toMatchObject({ ok: false });
		expect(
			await commitResidentImport(temp.db, temp.dataDir, actor, '../../etc/passwd', plan.digest)
		).toMatchObject({
			ok: false
		});
		expect(await residentCount()).toBe(0);
	});

	it('imports 10,000 residents', async () => {
		const lines = Array.from(
			{ length: 10_000 },
			(_, i) => `${(i % 40) + 1}栋,${(i % 3) + 1},${1000 + Math.floor(i / 2)},,居民${i},`
		);
		const plan = await stage(csv(...lines));
		expect(plan.counts.add).toBe(10_000);
		expect(planForScreen(plan).rows).toHaveLength(200);
		expect(await commit(plan)).toMatchObject({ ok: true, added: 10_000 });
		expect(await residentCount()).toBe(10_000);
	});

	it('exports the columns it imports, living residents only, formulas defused', async () => {
		await createResident(temp.db, actor, {
			building: '3',
			unit: '2',
			room: '501',
			name: '王秀英',
			phone: '010 1234 5678'
		});
		await createResident(temp.db, actor, { freeLabel: '老年公寓', name: '@赵' });
		const gone = await createResident(temp.db, actor, {
			building: '3',
			room: '502',
			name: '李迁出'
		});
		await setResidentLivingHere(temp.db, actor, gone.ok ? gone.id : 0, false);
		const text = await exportResidentsCsv(temp.db, actor.communityId);
		expect(text).toBe(
			`\uFEFF${HEADER}\r\n3栋,2单元,501,,王秀英,010-12345678\r\n,,,老年公寓,'@赵,\r\n`
		);
		const read = readResidentCsv(utf8(text));
		expect(read.ok && read.rows[0]).toMatchObject({ ok: true, name: '王秀英' });
	});
});

function readdirSafe(path: string): string[] {
	try {
		return readdirSync(path);
	} catch {
		return [];
	}
}
