import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResidentSnapshot } from '$lib/protocol/sync';
import { createOfficeAccount } from './accounts';
import { createCommunity } from './communities';
import { residentDetail } from './resident-detail';
import {
	createResident,
	editHousehold,
	editResident,
	listBuildings,
	setResidentLivingHere,
	type OfficeActor
} from './residents';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';

let temp: TempDatabase;
let actor: OfficeActor;
const now = new Date('2026-12-06T02:00:00Z');

beforeEach(async () => {
	temp = await openTempDatabase();
	const communityId = await createCommunity(temp.db, { slug: 'res', name: '居民社区' });
	const accountId = await createOfficeAccount(temp.db, {
		communityId,
		username: 'clerk',
		displayName: '办事员小李',
		password: 'secret123',
		role: 'admin'
	});
	actor = { communityId, accountId };
});
afterEach(() => temp.dispose());

async function create(fields: Parameters<typeof createResident>[2]): Promise<number> {
	const result = await createResident(temp.db, actor, fields, now);
	if (!result.ok) throw new Error(result.message);
	return result.id;
}

/** The newest change-feed snapshot of a resident. */
async function fed(residentId: number): Promise<ResidentSnapshot> {
	const row = await temp.db
		.selectFrom('changes')
		.select('data')
		.where('entity', '=', 'resident')
		.where('entity_id', '=', residentId)
		.orderBy('seq', 'desc')
		.executeTakeFirstOrThrow();
	return JSON.parse(row.data) as ResidentSnapshot;
}

const audit = () =>
	temp.db.selectFrom('audit_log').select(['action', 'summary']).orderBy('id').execute();

describe('residents in the office', () => {
	it('creates a resident with their household, an audit row and a change for kiosks', async () => {
		const id = await create({
			building: '3号楼',
			unit: '2',
			room: '501',
			name: ' 王秀英 ',
			phone: '138 0000 1234'
		});
		const resident = await temp.db
			.selectFrom('residents')
			.innerJoin('households', 'households.id', 'residents.household_id')
			.select(['name', 'phone', 'active', 'label', 'building', 'unit', 'room'])
			.where('residents.id', '=', id)
			.executeTakeFirstOrThrow();
		expect(resident).toEqual({
			name: '王秀英',
			phone: '13800001234',
			active: 1,
			label: '3栋2单元501',
			building: '3栋',
			unit: '2单元',
			room: '501'
		});
		expect(await audit()).toEqual([
			{ action: 'household.create', summary: '新增住户 3栋2单元501' },
			{ action: 'resident.create', summary: '新增居民 王秀英（3栋2单元501）' }
		]);
		expect(await fed(id)).toMatchObject({
			maskedName: '王*英',
			household: '3栋2单元501',
			active: true
		});
	});

	it('puts a second resident into the same household and refuses the same name twice', async () => {
		const first = await create({ building: '3', room: '501', name: '王秀英' });
		const second = await create({ building: '3栋', room: '501室', name: '李建国' });
		const households = await temp.db.selectFrom('households').select('id').execute();
		expect(households).toHaveLength(1);
		expect(first).not.toBe(second);
		expect(
			await createResident(temp.db, actor, { building: '3', room: '501', name: '王秀英' })
		).toEqual({ ok: false, message: '3栋501 已经有一位叫 王秀英 的居民' });
	});

	it.each([
		[{ building: '3', room: '501', name: '' }, '姓名不能为空'],
		[{ building: '3', room: '501', name: '王'.repeat(21) }, '姓名最多 20 个字'],
		[
			{ building: '东区三栋', room: '501', name: '王强' },
			'楼栋格式不认识（应写成 3栋、3号楼、3幢 或 3）'
		],
		[
			{ building: '3', room: '501', name: '王强', phone: '12345' },
			'手机号格式不对（应为 11 位手机号，或带区号的座机号）'
		]
	])('refuses bad input and writes nothing: %j', async (fields, message) => {
		expect(await createResident(temp.db, actor, fields)).toEqual({ ok: false, message });
		expect(await temp.db.selectFrom('residents').select('id').execute()).toEqual([]);
		expect(await audit()).toEqual([]);
	});

	it('keeps HTML and script as plain text', async () => {
		const name = '<script>alert(1)</script>';
		const id = await create({ freeLabel: '<b>老年公寓</b>', name: name.slice(0, 20) });
		const detail = await residentDetail(temp.db, actor.communityId, id);
		expect(detail?.name).toBe(name.slice(0, 20));
		expect(detail?.household.label).toBe('<b>老年公寓</b>');
		// Kiosks get the text as it is (and show it as text).
		expect(await fed(id)).toMatchObject({ household: '<b>老年公寓</b>', maskedName: '<*c' });
	});

	it('edits name, phone and address, auditing what changed; an unchanged form writes nothing', async () => {
		const id = await create({ building: '3', room: '501', name: '王秀英', phone: '13800001234' });
		const before = (await audit()).length;
		expect(
			await editResident(temp.db, actor, id, {
				building: '3',
				room: '501',
				name: '王秀英',
				phone: '13800001234'
			})
		).toEqual({ ok: true, id });
		expect(await audit()).toHaveLength(before);
		await editResident(
			temp.db,
			actor,
			id,
			{ building: '5', room: '102', name: '王秀英', phone: '' },
			now
		);
		const row = await temp.db
			.selectFrom('audit_log')
			.select(['action', 'details'])
			.where('action', '=', 'resident.edit')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(row.details!)).toEqual({
			phone: ['13800001234', null],
			household: ['3栋501', '5栋102']
		});
		expect(await fed(id)).toMatchObject({ household: '5栋102', building: '5栋' });
	});

	it('corrects a household’s address for all its members, but not onto another household', async () => {
		const a = await create({ building: '3', room: '501', name: '王秀英' });
		const b = await create({ building: '3', room: '501', name: '李建国' });
		await create({ building: '3', room: '502', name: '赵强' });
		const householdId = (await residentDetail(temp.db, actor.communityId, a))!.household.id;
		expect(
			await editHousehold(temp.db, actor, householdId, { building: '3', room: '502' })
		).toEqual({
			ok: false,
			message: '已经有 3栋502 这一户了'
		});
		expect(
			await editHousehold(
				temp.db,
				actor,
				householdId,
				{ building: '3', unit: '1', room: '501' },
				now
			)
		).toEqual({
			ok: true,
			id: householdId
		});
		expect((await fed(a)).household).toBe('3栋1单元501');
		expect((await fed(b)).household).toBe('3栋1单元501');
		expect(await listBuildings(temp.db, actor.communityId)).toEqual(['3栋']);
	});

	it('moves a resident out keeping their history, and back in', async () => {
		const id = await create({ building: '3', room: '501', name: '王秀英' });
		await temp.db
			.insertInto('ledger_entries')
			.values({
				community_id: actor.communityId,
				resident_id: id,
				points: 20,
				reason: 'opening',
				actor_kind: 'system',
				actor_id: 'test',
				occurred_at: now.toISOString(),
				recorded_at: now.toISOString()
			})
			.execute();
		expect(await setResidentLivingHere(temp.db, actor, id, false, now)).toEqual({ ok: true, id });
		const detail = await residentDetail(temp.db, actor.communityId, id);
		expect(detail).toMatchObject({ active: false, movedOutAt: now.toISOString(), balance: 20 });
		expect(detail?.ledger).toHaveLength(1);
		expect(await fed(id)).toMatchObject({ active: false, balance: 20 });
		expect(await setResidentLivingHere(temp.db, actor, id, false)).toEqual({
			ok: false,
			message: '这位居民已经迁出了'
		});
		expect((await audit()).at(-1)).toEqual({
			action: 'resident.moveOut',
			summary: '迁出 王秀英（3栋501）'
		});

		await setResidentLivingHere(temp.db, actor, id, true, now);
		expect(await fed(id)).toMatchObject({ active: true });
		expect((await residentDetail(temp.db, actor.communityId, id))?.movedOutAt).toBeNull();
	});

	it('does not touch another community’s resident', async () => {
		const id = await create({ building: '3', room: '501', name: '王秀英' });
		const other = {
			...actor,
			communityId: await createCommunity(temp.db, { slug: 'x', name: '别处' })
		};
		expect(await setResidentLivingHere(temp.db, other, id, false)).toEqual({
			ok: false,
			message: '没有找到这位居民'
		});
		expect(await residentDetail(temp.db, other.communityId, id)).toBeNull();
	});
});
