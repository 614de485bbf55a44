import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDayReport } from '$lib/domain/day-report';
import type { DayCloseEvent } from '$lib/protocol/events';
import type { PushResult } from '$lib/protocol/sync';
import { itemStocks, residentBalance, residentBalances } from '../ledger/balances';
import { seedDemo, type DemoSeedSummary } from '../seed/demo';
import {
	enrollTestDevice,
	pushRequest,
	redemptionEvent,
	shopEvent,
	type EnrolledDevice
} from '../testing/fixtures';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { readChangePage } from './pull';
import { applyPushBatch } from './push';

let temp: TempDatabase;
let demo: DemoSeedSummary;
let kiosk: EnrolledDevice;
let otherKiosk: EnrolledDevice;
let foreignKiosk: EnrolledDevice;
let shopkeeper: number;
let manager: number;
let foreignStaff: number;
let goods: { id: number; points: number; name: string };
let soap: { id: number; points: number; name: string };
let service: { id: number; points: number };
let richResidents: number[];

const TODAY = '2025-06-01';
const AT = new Date('2025-06-01T04:00:00Z');

async function push(device: EnrolledDevice, events: unknown[]): Promise<PushResult[]> {
	return (await applyPushBatch(temp.db, device.device, pushRequest(events))).results;
}

async function pushOne(device: EnrolledDevice, event: unknown): Promise<PushResult> {
	return (await push(device, [event]))[0]!;
}

async function stockOf(itemId: number) {
	return (await itemStocks(temp.db, [itemId])).get(itemId) ?? 0;
}

function takeRichResident(): number {
	const id = richResidents.shift();
	if (id === undefined) throw new Error('ran out of residents with points');
	return id;
}

/** A closing of `device` with the given counts and a report that agrees with them. */
function closing(
	device: EnrolledDevice,
	counts: Array<{ itemId: number; expected: number; counted: number; reason?: string }>,
	change: Partial<DayCloseEvent['payload']> = {},
	businessDate = TODAY
): DayCloseEvent {
	const report = buildDayReport({
		businessDate,
		deviceId: device.device.id,
		staffName: '店员老陈',
		closedAt: AT.toISOString(),
		redemptions: { count: 0, points: 0 },
		voids: { count: 0, points: 0 },
		lines: counts.map((c) => ({
			itemId: c.itemId,
			name: '物品',
			opening: c.expected,
			received: 0,
			redeemed: 0,
			voided: 0,
			lost: 0,
			expected: c.expected,
			counted: c.counted,
			difference: c.counted - c.expected,
			...(c.reason ? { reason: c.reason } : {})
		})),
		pendingEvents: 0
	});
	return shopEvent(
		device.device,
		'dayClose',
		{ staffId: shopkeeper, businessDate, lastDeviceSeq: 0, counts, report, ...change },
		AT
	);
}

beforeAll(async () => {
	temp = await openTempDatabase();
	demo = await seedDemo(temp.db);
	kiosk = await enrollTestDevice(temp.db, demo.communityId);
	otherKiosk = await enrollTestDevice(temp.db, demo.communityId);
	foreignKiosk = await enrollTestDevice(temp.db, demo.foreignCommunityId);
	const staff = await temp.db
		.selectFrom('staff_members')
		.select(['id', 'role', 'community_id'])
		.execute();
	shopkeeper = staff.find(
		(s) => s.community_id === demo.communityId && s.role === 'shopkeeper'
	)!.id;
	manager = staff.find((s) => s.community_id === demo.communityId && s.role === 'manager')!.id;
	foreignStaff = staff.find((s) => s.community_id === demo.foreignCommunityId)!.id;
	const items = await temp.db
		.selectFrom('items')
		.select(['id', 'points', 'stock_tracked', 'name'])
		.where('community_id', '=', demo.communityId)
		.execute();
	goods = items.find((item) => item.name === '挂面 1kg')!;
	soap = items.find((item) => item.stock_tracked === 1 && item.id !== goods.id)!;
	service = items.find((item) => item.stock_tracked === 0)!;
	const residents = await temp.db
		.selectFrom('residents')
		.select('id')
		.where('community_id', '=', demo.communityId)
		.where('id', 'not in', [demo.reissuedCardResidentId, demo.revokedCardResidentId])
		.execute();
	const balances = await residentBalances(
		temp.db,
		residents.map((r) => r.id)
	);
	richResidents = [...balances].filter(([, balance]) => balance >= 60).map(([id]) => id);
});
afterAll(() => temp.dispose());

describe('stock receipts and losses', () => {
	it('records a delivery as received movements naming the staff member, and feeds the stock', async () => {
		const before = await stockOf(goods.id);
		const event = shopEvent(kiosk.device, 'stockReceipt', {
			lines: [{ itemId: goods.id, quantity: 24 }],
			note: '供货商周三送货',
			staffId: shopkeeper,
			businessDate: TODAY
		});
		const result = await pushOne(kiosk, event);
		expect(result).toMatchObject({ status: 'applied' });
		expect(await stockOf(goods.id)).toBe(before + 24);
		const movements = await temp.db
			.selectFrom('stock_movements')
			.selectAll()
			.where('event_id', '=', event.id)
			.execute();
		expect(movements).toMatchObject([
			{ kind: 'received', quantity: 24, staff_id: shopkeeper, note: '供货商周三送货' }
		]);
		// The kiosks learn the new stock from the feed, at the seq the answer names.
		const page = await readChangePage(temp.db, demo.communityId, 0, 5000);
		const change = page.changes.find((c) => c.entity === 'item' && c.data.id === goods.id);
		expect(change).toMatchObject({ data: { stock: before + 24 } });
		expect(result.status === 'applied' && result.seq).toBe(change?.seq);

		expect(await pushOne(kiosk, event)).toMatchObject({ status: 'duplicate' });
		expect(await stockOf(goods.id)).toBe(before + 24);
	});

	it('records a loss as a damaged movement with its reason', async () => {
		const before = await stockOf(goods.id);
		const event = shopEvent(kiosk.device, 'stockLoss', {
			itemId: goods.id,
			quantity: 2,
			reason: 'expired',
			staffId: shopkeeper,
			businessDate: TODAY
		});
		expect(await pushOne(kiosk, event)).toMatchObject({ status: 'applied' });
		expect(await stockOf(goods.id)).toBe(before - 2);
		const [movement] = await temp.db
			.selectFrom('stock_movements')
			.selectAll()
			.where('event_id', '=', event.id)
			.execute();
		expect(movement).toMatchObject({ kind: 'damaged', quantity: -2, reason: 'expired' });
	});

	it.each([
		['a staff member of another community', () => foreignStaff, 'unknown_staff'],
		['a staff id that does not exist', () => 99_999, 'unknown_staff']
	])('refuses %s', async (_, staffId, reason) => {
		const event = shopEvent(kiosk.device, 'stockReceipt', {
			lines: [{ itemId: goods.id, quantity: 1 }],
			staffId: staffId(),
			businessDate: TODAY
		});
		expect(await pushOne(kiosk, event)).toMatchObject({ status: 'rejected', reason });
	});

	it('refuses a staff member who left', async () => {
		const leaver = await temp.db
			.insertInto('office_accounts')
			.values({
				community_id: demo.communityId,
				username: 'leaver',
				display_name: '走了的店员',
				password_hash: 'x',
				role: 'shopkeeper',
				active: 1,
				created_at: AT.toISOString()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await temp.db
			.insertInto('staff_members')
			.values({
				id: leaver.id,
				community_id: demo.communityId,
				role: 'shopkeeper',
				pin_iterations: 1,
				pin_salt: 'AA',
				pin_hash: 'AA',
				active: 0,
				created_at: AT.toISOString()
			})
			.execute();
		const event = shopEvent(kiosk.device, 'stockLoss', {
			itemId: goods.id,
			quantity: 1,
			reason: 'lost',
			staffId: leaver.id,
			businessDate: TODAY
		});
		expect(await pushOne(kiosk, event)).toMatchObject({
			status: 'rejected',
			reason: 'unknown_staff'
		});
	});

	it('refuses stock for a service, an item of another community, and absurd quantities', async () => {
		const receipt = (itemId: number, quantity: number) =>
			shopEvent(kiosk.device, 'stockReceipt', {
				lines: [{ itemId, quantity }],
				staffId: shopkeeper,
				businessDate: TODAY
			});
		const before = await stockOf(goods.id);
		const results = await push(kiosk, [
			receipt(service.id, 1),
			receipt(goods.id, 0),
			receipt(goods.id, -1),
			receipt(goods.id, 1.5),
			receipt(goods.id, 1e9)
		]);
		expect(results.map((r) => r.status === 'rejected' && r.reason)).toEqual([
			'not_stock_tracked',
			'invalid_event',
			'invalid_event',
			'invalid_event',
			'invalid_event'
		]);
		const foreignItem = await temp.db
			.insertInto('items')
			.values({
				community_id: demo.foreignCommunityId,
				name: '和平里的米',
				category: '粮油',
				kind: 'goods',
				points: 10,
				stock_tracked: 1,
				active: 1,
				sort_order: 0,
				created_at: AT.toISOString()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		expect(await pushOne(kiosk, receipt(foreignItem.id, 1))).toMatchObject({
			status: 'rejected',
			reason: 'unknown_item'
		});
		expect(await stockOf(goods.id)).toBe(before);
	});
});

describe('voids', () => {
	it('reverses a redemption with entries that name the originals; the original stays', async () => {
		const residentId = takeRichResident();
		const balanceBefore = await residentBalance(temp.db, residentId);
		const stockBefore = await stockOf(goods.id);
		const redemption = await redemptionEvent(temp.db, kiosk.device, {
			residentId,
			lines: [
				{ itemId: goods.id, quantity: 2, unitPoints: goods.points },
				{ itemId: service.id, quantity: 1, unitPoints: service.points }
			],
			occurredAt: AT
		});
		const voidEvent = shopEvent(kiosk.device, 'void', {
			redemptionId: redemption.id,
			reason: '拿错了',
			staffId: shopkeeper,
			businessDate: TODAY
		});
		// In one batch: the void finds the redemption written just before it.
		const [redeemed, voided] = await push(kiosk, [redemption, voidEvent]);
		expect(redeemed).toMatchObject({ status: 'applied' });
		expect(voided).toMatchObject({ status: 'applied' });
		expect(await residentBalance(temp.db, residentId)).toBe(balanceBefore);
		expect(await stockOf(goods.id)).toBe(stockBefore);

		const entries = await temp.db
			.selectFrom('ledger_entries')
			.selectAll()
			.where('event_id', 'in', [redemption.id, voidEvent.id])
			.orderBy('id')
			.execute();
		const total = 2 * goods.points + service.points;
		expect(entries).toMatchObject([
			{ reason: 'redemption', points: -total, reverses_entry_id: null },
			{
				reason: 'reversal',
				points: total,
				reverses_entry_id: entries[0]!.id,
				note: '拿错了',
				staff_id: shopkeeper
			}
		]);
		const movements = await temp.db
			.selectFrom('stock_movements')
			.selectAll()
			.where('event_id', 'in', [redemption.id, voidEvent.id])
			.orderBy('id')
			.execute();
		expect(movements).toMatchObject([
			{ kind: 'redeemed', quantity: -2 },
			{ kind: 'voided', quantity: 2, reverses_movement_id: movements[0]!.id }
		]);
		// The resident's new balance is on the feed at the seq the void answered.
		const page = await readChangePage(temp.db, demo.communityId, 0, 5000);
		const change = page.changes.find((c) => c.entity === 'resident' && c.data.id === residentId);
		expect(change).toMatchObject({ data: { balance: balanceBefore } });
		// The answer's seq is the highest that carries its effect: a pull up to it has it all.
		expect(voided?.status === 'applied' && voided.seq).toBeGreaterThanOrEqual(change!.seq);
	});

	it('refuses a second void of the same redemption, from any kiosk', async () => {
		const redemption = await redemptionEvent(temp.db, kiosk.device, {
			residentId: takeRichResident(),
			lines: [{ itemId: goods.id, quantity: 1, unitPoints: goods.points }],
			occurredAt: AT
		});
		const voidOf = (device: EnrolledDevice) =>
			shopEvent(device.device, 'void', {
				redemptionId: redemption.id,
				reason: '重复',
				staffId: shopkeeper,
				businessDate: TODAY
			});
		await pushOne(kiosk, redemption);
		const first = voidOf(kiosk);
		expect(await pushOne(kiosk, first)).toMatchObject({ status: 'applied' });
		expect(await pushOne(kiosk, voidOf(kiosk))).toMatchObject({
			status: 'rejected',
			reason: 'already_voided'
		});
		expect(await pushOne(otherKiosk, voidOf(otherKiosk))).toMatchObject({
			status: 'rejected',
			reason: 'already_voided'
		});
		// The same void pushed again is a duplicate, not a refusal.
		expect(await pushOne(kiosk, first)).toMatchObject({ status: 'duplicate' });
		const reversals = await temp.db
			.selectFrom('ledger_entries')
			.select('id')
			.where('reason', '=', 'reversal')
			.where('reverses_entry_id', 'in', (qb) =>
				qb.selectFrom('ledger_entries').select('id').where('event_id', '=', redemption.id)
			)
			.execute();
		expect(reversals).toHaveLength(1);
	});

	it('refuses a void of another business day, an unknown or refused redemption, or another community’s', async () => {
		const residentId = takeRichResident();
		const redemption = await redemptionEvent(temp.db, kiosk.device, {
			residentId,
			lines: [{ itemId: goods.id, quantity: 1, unitPoints: goods.points }],
			occurredAt: AT
		});
		const refused = await redemptionEvent(temp.db, kiosk.device, {
			residentId,
			lines: [{ itemId: goods.id, quantity: 1, unitPoints: goods.points }],
			totalPoints: 1,
			occurredAt: AT
		});
		await push(kiosk, [redemption, refused]);
		const voidOf = (redemptionId: string, device = kiosk, businessDate = TODAY) =>
			shopEvent(device.device, 'void', {
				redemptionId,
				reason: '测试',
				staffId: device === foreignKiosk ? foreignStaff : shopkeeper,
				businessDate
			});
		expect(await pushOne(kiosk, voidOf(redemption.id, kiosk, '2025-06-02'))).toMatchObject({
			status: 'rejected',
			reason: 'not_same_day'
		});
		expect(await pushOne(kiosk, voidOf(refused.id))).toMatchObject({
			status: 'rejected',
			reason: 'unknown_redemption'
		});
		expect(await pushOne(kiosk, voidOf('0190f5c2-0000-7000-8000-0000000000ff'))).toMatchObject({
			status: 'rejected',
			reason: 'unknown_redemption'
		});
		expect(await pushOne(foreignKiosk, voidOf(redemption.id, foreignKiosk))).toMatchObject({
			status: 'rejected',
			reason: 'unknown_redemption'
		});
		expect(await pushOne(kiosk, voidOf(redemption.id))).toMatchObject({ status: 'applied' });
	});
});

describe('day closings', () => {
	it('turns count differences into counted movements and keeps the report', async () => {
		const goodsBefore = await stockOf(goods.id);
		const soapBefore = await stockOf(soap.id);
		const event = closing(otherKiosk, [
			{ itemId: goods.id, expected: goodsBefore, counted: goodsBefore - 3, reason: '破损未报' },
			{ itemId: soap.id, expected: soapBefore, counted: soapBefore }
		]);
		const result = await pushOne(otherKiosk, event);
		expect(result).toMatchObject({ status: 'applied' });
		// Stock on the server now matches what was counted, for every item.
		expect(await stockOf(goods.id)).toBe(goodsBefore - 3);
		expect(await stockOf(soap.id)).toBe(soapBefore);
		const movements = await temp.db
			.selectFrom('stock_movements')
			.selectAll()
			.where('event_id', '=', event.id)
			.execute();
		expect(movements).toMatchObject([
			{ item_id: goods.id, kind: 'counted', quantity: -3, reason: '破损未报' }
		]);
		const report = await temp.db
			.selectFrom('day_reports')
			.selectAll()
			.where('event_id', '=', event.id)
			.executeTakeFirstOrThrow();
		expect(report).toMatchObject({
			device_id: otherKiosk.device.id,
			business_date: TODAY,
			staff_id: shopkeeper,
			difference_count: 1
		});
		expect(JSON.parse(report.report)).toEqual(event.payload.report);

		// Pushed twice: the first answer again, nothing written twice.
		expect(await pushOne(otherKiosk, event)).toEqual({ ...result, status: 'duplicate' });
		expect(await stockOf(goods.id)).toBe(goodsBefore - 3);
		// Another closing of the same day on the same kiosk is refused.
		expect(
			await pushOne(
				otherKiosk,
				closing(otherKiosk, [{ itemId: goods.id, expected: 1, counted: 1 }])
			)
		).toMatchObject({ status: 'rejected', reason: 'already_closed' });
		// Another kiosk closes its own day.
		expect(
			await pushOne(kiosk, closing(kiosk, [{ itemId: soap.id, expected: 1, counted: 1 }]))
		).toMatchObject({ status: 'applied' });
	});

	it('refuses an approver who is the same person, of another community or unknown', async () => {
		for (const approverStaffId of [shopkeeper, foreignStaff, 99_999]) {
			const event = closing(
				otherKiosk,
				[{ itemId: goods.id, expected: 10, counted: 0, reason: '丢了' }],
				{ approverStaffId },
				'2025-06-05'
			);
			expect(await pushOne(otherKiosk, event)).toMatchObject({
				status: 'rejected',
				reason: 'unknown_staff'
			});
		}
		const approved = closing(
			otherKiosk,
			[{ itemId: goods.id, expected: 10, counted: 10 }],
			{ approverStaffId: manager },
			'2025-06-05'
		);
		expect(await pushOne(otherKiosk, approved)).toMatchObject({ status: 'applied' });
	});

	it('refuses a difference without a reason and a report of another day', async () => {
		const noReason = closing(
			otherKiosk,
			[{ itemId: goods.id, expected: 5, counted: 4 }],
			{},
			'2025-06-06'
		);
		expect(await pushOne(otherKiosk, noReason)).toMatchObject({
			status: 'rejected',
			reason: 'invalid_event'
		});
		const event = closing(otherKiosk, [], {}, '2025-06-07');
		event.payload.report.businessDate = '2025-06-08';
		expect(await pushOne(otherKiosk, event)).toMatchObject({
			status: 'rejected',
			reason: 'invalid_event'
		});
	});
});
