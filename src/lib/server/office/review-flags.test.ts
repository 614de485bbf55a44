import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPushBatch } from '../sync/push';
import { enrollTestDevice, pushRequest, redemptionEvent } from '../testing/fixtures';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { createOfficeAccount } from './accounts';
import { listAudit } from './audit';
import { issueResidentCard } from './cards';
import { createCommunity } from './communities';
import { createResident } from './residents';
import {
	listReviewFlags,
	listUnflaggedWarnings,
	resolveReviewFlag,
	reviewFlagsView
} from './review-flags';

let temp: TempDatabase;
let communityId: number;
let otherCommunityId: number;
let admin: { id: number; community_id: number; role: 'admin' };
let otherAdmin: { id: number; community_id: number; role: 'admin' };
let grid: { id: number; community_id: number; role: 'gridWorker' };
let riceId: number;
let kiosk: Awaited<ReturnType<typeof enrollTestDevice>>;

async function account(community: number, username: string, role: 'admin' | 'gridWorker') {
	const id = await createOfficeAccount(temp.db, {
		communityId: community,
		username,
		displayName: `${username}名`,
		password: 'flag-password',
		role
	});
	return { id, community_id: community, role };
}

/** A resident with a card and `points` on the ledger, in 3栋 `room`. */
async function residentWith(name: string, room: string, points: number): Promise<number> {
	const actor = { communityId, accountId: admin.id };
	const created = await createResident(temp.db, actor, { building: '3', room, name });
	if (!created.ok) throw new Error(created.message);
	const card = await issueResidentCard(temp.db, actor, created.id);
	if (!card.ok) throw new Error(card.message);
	if (points > 0) {
		const now = new Date().toISOString();
		await temp.db
			.insertInto('ledger_entries')
			.values({
				community_id: communityId,
				resident_id: created.id,
				points,
				reason: 'opening',
				actor_kind: 'system',
				actor_id: 'test',
				occurred_at: now,
				recorded_at: now
			})
			.execute();
	}
	return created.id;
}

/** The kiosk pushes a redemption of `quantity` bags of rice (30 points each). */
async function pushRice(residentId: number, quantity: number, occurredAt?: Date) {
	const event = await redemptionEvent(temp.db, kiosk.device, {
		residentId,
		offline: true,
		occurredAt,
		lines: [{ itemId: riceId, quantity, unitPoints: 30 }]
	});
	const { results } = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
	expect(results[0]).toMatchObject({ status: 'applied' });
	return event.id;
}

async function flagIdOf(eventId: string): Promise<number> {
	const flag = await temp.db
		.selectFrom('review_flags')
		.select('id')
		.where('event_id', '=', eventId)
		.executeTakeFirstOrThrow();
	return flag.id;
}

beforeAll(async () => {
	temp = await openTempDatabase();
	communityId = await createCommunity(temp.db, { slug: 'flags', name: '核查社区' });
	otherCommunityId = await createCommunity(temp.db, { slug: 'other', name: '别的社区' });
	admin = (await account(communityId, 'flag-admin', 'admin')) as typeof admin;
	otherAdmin = (await account(otherCommunityId, 'other-admin', 'admin')) as typeof otherAdmin;
	grid = (await account(communityId, 'flag-grid', 'gridWorker')) as typeof grid;
	const now = new Date().toISOString();
	riceId = (
		await temp.db
			.insertInto('items')
			.values({
				community_id: communityId,
				name: '大米',
				category: '粮油',
				kind: 'goods',
				points: 30,
				stock_tracked: 1,
				image_url: null,
				active: 1,
				sort_order: 1,
				created_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
	kiosk = await enrollTestDevice(temp.db, communityId);
	await temp.db
		.updateTable('devices')
		.set({ name: '一楼柜台' })
		.where('id', '=', kiosk.device.id)
		.execute();
});
afterAll(() => temp.dispose());

describe('待核查: the review flags of a community', () => {
	it('lists an overdraw with resident, household, kind, points, items, device and balance', async () => {
		const residentId = await residentWith('王秀英', '501', 20);
		const eventId = await pushRice(residentId, 2);
		const flags = await listReviewFlags(temp.db, communityId, false);
		expect(flags[0]).toMatchObject({
			id: await flagIdOf(eventId),
			kind: 'overdrawn',
			kindName: '超支',
			residentId,
			residentName: '王秀英',
			householdLabel: expect.stringContaining('501'),
			points: 60,
			balanceAfter: -40,
			items: '大米 × 2',
			deviceName: '一楼柜台',
			resolvedAt: null
		});
	});

	it('lists open flags newest first, and a moved-out resident’s as 已迁出的居民', async () => {
		const residentId = await residentWith('李建国', '502', 100);
		await temp.db
			.updateTable('residents')
			.set({ active: 0 })
			.where('id', '=', residentId)
			.execute();
		const eventId = await pushRice(residentId, 1);
		const flags = await listReviewFlags(temp.db, communityId, false);
		expect(flags[0]).toMatchObject({ id: await flagIdOf(eventId), kindName: '已迁出的居民' });
		expect(flags.map((flag) => flag.id)).toEqual(
			[...flags.map((flag) => flag.id)].sort((a, b) => b - a)
		);
	});

	it('resolves a flag with a note, audited; it moves from 未处理 to 已处理', async () => {
		const eventId = await pushRice(await residentWith('张桂兰', '503', 0), 1);
		const flagId = await flagIdOf(eventId);
		expect(await resolveReviewFlag(temp.db, admin, flagId, '  已电话联系，下月补回  ')).toEqual({
			ok: true
		});
		const open = await listReviewFlags(temp.db, communityId, false);
		expect(open.map((flag) => flag.id)).not.toContain(flagId);
		const resolved = await listReviewFlags(temp.db, communityId, true);
		expect(resolved.find((flag) => flag.id === flagId)).toMatchObject({
			resolvedAt: expect.any(String),
			resolverName: 'flag-admin名',
			resolutionNote: '已电话联系，下月补回'
		});
		const [audit] = await listAudit(temp.db, communityId);
		expect(audit).toMatchObject({
			action: 'flag.resolve',
			summary: expect.stringContaining('张桂兰')
		});
	});

	it('resolves without a note, keeping no empty text', async () => {
		const flagId = await flagIdOf(await pushRice(await residentWith('赵明', '504', 0), 1));
		expect(await resolveReviewFlag(temp.db, admin, flagId, '   ')).toEqual({ ok: true });
		const row = await temp.db
			.selectFrom('review_flags')
			.select('resolution_note')
			.where('id', '=', flagId)
			.executeTakeFirstOrThrow();
		expect(row.resolution_note).toBeNull();
	});

	it('answers a second resolve clearly and keeps the first resolution', async () => {
		const flagId = await flagIdOf(await pushRice(await residentWith('孙丽', '505', 0), 1));
		await resolveReviewFlag(temp.db, admin, flagId, '第一次');
		const auditBefore = (await listAudit(temp.db, communityId)).length;
		expect(await resolveReviewFlag(temp.db, admin, flagId, '第二次')).toEqual({
			ok: false,
			message: '这条记录已经由flag-admin名处理过了，不用再处理'
		});
		const row = await temp.db
			.selectFrom('review_flags')
			.select('resolution_note')
			.where('id', '=', flagId)
			.executeTakeFirstOrThrow();
		expect(row.resolution_note).toBe('第一次');
		expect(await listAudit(temp.db, communityId)).toHaveLength(auditBefore);
	});

	it('refuses another community’s admin as if the flag did not exist, changing nothing', async () => {
		const flagId = await flagIdOf(await pushRice(await residentWith('周强', '506', 0), 1));
		expect(await resolveReviewFlag(temp.db, otherAdmin, flagId, '越界')).toEqual({
			ok: false,
			message: '找不到这条待核查的记录'
		});
		expect(await listReviewFlags(temp.db, otherCommunityId, false)).toEqual([]);
		const open = await listReviewFlags(temp.db, communityId, false);
		expect(open.map((flag) => flag.id)).toContain(flagId);
		expect(await listAudit(temp.db, otherCommunityId)).toEqual([]);
	});

	it('refuses a 网格员, a note too long and an unknown flag, changing nothing', async () => {
		const flagId = await flagIdOf(await pushRice(await residentWith('吴芳', '507', 0), 1));
		const outcomes = [
			await resolveReviewFlag(temp.db, grid, flagId, ''),
			await resolveReviewFlag(temp.db, admin, flagId, '长'.repeat(201)),
			await resolveReviewFlag(temp.db, admin, 999_999, '')
		];
		expect(outcomes).toEqual([
			{ ok: false, message: '只有管理员可以处理待核查的记录' },
			{ ok: false, message: '处理说明最多 200 个字' },
			{ ok: false, message: '找不到这条待核查的记录' }
		]);
		const open = await listReviewFlags(temp.db, communityId, false);
		expect(open.map((flag) => flag.id)).toContain(flagId);
	});

	it('lists an applied event’s warning that has no flag, and not one a flag covers', async () => {
		const ahead = new Date(Date.now() + 60 * 60_000);
		const fine = await pushRice(await residentWith('郑华', '508', 100), 1, ahead);
		const flagged = await pushRice(await residentWith('冯军', '509', 0), 1, ahead);
		const warnings = await listUnflaggedWarnings(temp.db, communityId);
		expect(warnings.map((warning) => warning.eventId)).toContain(fine);
		expect(warnings.map((warning) => warning.eventId)).not.toContain(flagged);
		expect(warnings.find((warning) => warning.eventId === fine)).toMatchObject({
			what: '兑换',
			warning: expect.stringContaining('设备时间比服务器快'),
			deviceName: '一楼柜台'
		});
	});

	it('gives the page the community’s time zone and the count of open flags', async () => {
		const view = await reviewFlagsView(temp.db, communityId, false);
		expect(view.timeZone).toBe('Asia/Shanghai');
		expect(view.openCount).toBe(view.flags.length);
		expect((await reviewFlagsView(temp.db, communityId, true)).warnings).toEqual([]);
	});
});
