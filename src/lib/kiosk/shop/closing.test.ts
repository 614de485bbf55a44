import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { dayReportCsv } from '$lib/domain/day-report';
import { DeviceEventSchema } from '$lib/protocol/events';
import { getMeta } from '../local-db';
import {
	EVENING,
	MANAGER,
	MASSAGE,
	MORNING,
	NEXT_MORNING,
	NIGHT,
	redeem,
	RICE,
	SHOPKEEPER,
	shopKiosk,
	SOAP
} from '../testing/shop-fixtures';
import { closeDay, getDayReport, listDayReports, openClosing, type CloseDayInput } from './closing';
import { recordStockLoss, recordStockReceipt } from './stock';
import { listVoidableRedemptions, voidRedemption } from './voids';

type Counts = CloseDayInput['counts'];

/** Counts every line as expected, except those given. */
function countsFor(
	lines: ReadonlyArray<{ itemId: number; expected: number }>,
	counted: Record<number, { counted: number; reason?: string }> = {}
): Counts {
	return lines.map((line) => ({
		itemId: line.itemId,
		expected: line.expected,
		counted: counted[line.itemId]?.counted ?? line.expected,
		...(counted[line.itemId]?.reason ? { reason: counted[line.itemId]!.reason } : {})
	}));
}

describe('the closing screen', () => {
	it('lists every stock-tracked item with how the day got to the expected figure', async () => {
		const { db } = await shopKiosk();
		await recordStockReceipt(
			db,
			{ staffId: SHOPKEEPER, lines: [{ itemId: RICE, quantity: 4 }] },
			MORNING
		);
		const first = await redeem(
			db,
			[
				{ itemId: RICE, quantity: 2, unitPoints: 30 },
				{ itemId: MASSAGE, quantity: 1, unitPoints: 20 }
			],
			MORNING,
			2
		);
		await redeem(db, [{ itemId: SOAP, quantity: 1, unitPoints: 5 }], MORNING);
		await voidRedemption(
			db,
			{ staffId: SHOPKEEPER, redemptionId: first.eventId, reason: '拿错了' },
			MORNING
		);
		await recordStockLoss(
			db,
			{ staffId: SHOPKEEPER, itemId: SOAP, quantity: 2, reason: 'expired' },
			MORNING
		);

		const view = await openClosing(db, EVENING);
		expect(view?.businessDate).toBe('2025-06-01');
		expect(view?.alreadyClosed).toBe(false);
		expect(view?.lines).toEqual([
			{
				itemId: RICE,
				name: '大米 5kg',
				opening: 8,
				received: 4,
				redeemed: 2,
				voided: 2,
				lost: 0,
				expected: 12
			},
			{
				itemId: SOAP,
				name: '香皂',
				opening: 20,
				received: 0,
				redeemed: 1,
				voided: 0,
				lost: 2,
				expected: 17
			}
		]);
		expect(view?.redemptions).toEqual({ count: 2, points: 85 });
		expect(view?.voids).toEqual({ count: 1, points: 80 });
		expect(view?.pendingEvents).toBe(5);
		expect(view?.unclosedEarlierDays).toEqual([]);
	});

	it('names earlier days that had activity but were never closed', async () => {
		const { db } = await shopKiosk();
		await redeem(db, [{ itemId: RICE, quantity: 1, unitPoints: 30 }], MORNING);
		await recordStockReceipt(
			db,
			{ staffId: SHOPKEEPER, lines: [{ itemId: SOAP, quantity: 1 }] },
			MORNING
		);
		const view = (await openClosing(db, NEXT_MORNING))!;
		expect(view.businessDate).toBe('2025-06-02');
		expect(view.unclosedEarlierDays).toEqual(['2025-06-01']);
		// Its figures are in the opening: nothing moved today.
		expect(view.lines.find((l) => l.itemId === RICE)).toMatchObject({ opening: 7, redeemed: 0 });
	});
});

describe('closing the day', () => {
	it('writes the closing event with the report; later events belong to the next day', async () => {
		const { db } = await shopKiosk();
		await redeem(db, [{ itemId: RICE, quantity: 1, unitPoints: 30 }], MORNING);
		const view = (await openClosing(db, EVENING))!;
		const outcome = await closeDay(
			db,
			{
				staffId: SHOPKEEPER,
				counts: countsFor(view.lines, { [SOAP]: { counted: 19, reason: '找不到一块' } })
			},
			EVENING
		);
		expect(outcome.ok).toBe(true);
		if (!outcome.ok) return;
		expect(v.safeParse(DeviceEventSchema, outcome.event).success).toBe(true);
		expect(outcome.event.payload.lastDeviceSeq).toBe(1);
		expect(outcome.report).toMatchObject({
			businessDate: '2025-06-01',
			staffName: '店员老陈',
			redemptions: { count: 1, points: 30 },
			voids: { count: 0, points: 0 },
			pendingEvents: 1
		});
		expect(outcome.report.items.find((l) => l.itemId === SOAP)).toMatchObject({
			expected: 20,
			counted: 19,
			difference: -1,
			reason: '找不到一块'
		});
		expect(await getMeta(db, 'lastClosedDate')).toBe('2025-06-01');

		// A redemption at 20:00 is tomorrow's, and the closed report does not change.
		const late = await redeem(db, [{ itemId: RICE, quantity: 1, unitPoints: 30 }], NIGHT);
		expect(late.businessDate).toBe('2025-06-02');
		expect((await getDayReport(db, '2025-06-01'))?.report).toEqual(outcome.report);
		expect((await listDayReports(db)).map((r) => r.businessDate)).toEqual(['2025-06-01']);
		// The count adjustment counts in the stock from now on.
		const tomorrow = (await openClosing(db, NEXT_MORNING))!;
		expect(tomorrow.businessDate).toBe('2025-06-02');
		expect(tomorrow.lines.find((l) => l.itemId === SOAP)).toMatchObject({
			opening: 19,
			expected: 19
		});
		expect(tomorrow.lines.find((l) => l.itemId === RICE)).toMatchObject({
			opening: 7,
			redeemed: 1,
			expected: 6
		});
	});

	it('refuses to close the same day twice', async () => {
		const { db } = await shopKiosk();
		const view = (await openClosing(db, EVENING))!;
		const counts = countsFor(view.lines);
		expect((await closeDay(db, { staffId: SHOPKEEPER, counts }, EVENING)).ok).toBe(true);
		const again = await openClosing(db, NIGHT);
		expect(again).toMatchObject({ businessDate: '2025-06-01', alreadyClosed: true, lines: [] });
		expect(await closeDay(db, { staffId: SHOPKEEPER, counts }, NIGHT)).toEqual({
			ok: false,
			problem: 'already_closed'
		});
		expect(await db.dayClosings.count()).toBe(1);
		expect(await db.outbox.count()).toBe(1);
	});

	it('refuses a count made before a redemption committed while the screen was open', async () => {
		const { db } = await shopKiosk();
		const view = (await openClosing(db, EVENING))!;
		// A resident at the counter finishes a redemption while the shopkeeper counts.
		await redeem(db, [{ itemId: RICE, quantity: 1, unitPoints: 30 }], EVENING);
		expect(
			await closeDay(db, { staffId: SHOPKEEPER, counts: countsFor(view.lines) }, EVENING)
		).toEqual({ ok: false, problem: 'changed_since_opened' });
		expect(await db.dayClosings.count()).toBe(0);
		// Opened again, the new figure is there and the closing goes through.
		const fresh = (await openClosing(db, EVENING))!;
		expect(fresh.lines.find((l) => l.itemId === RICE)?.expected).toBe(7);
		const outcome = await closeDay(
			db,
			{ staffId: SHOPKEEPER, counts: countsFor(fresh.lines) },
			EVENING
		);
		expect(outcome.ok && outcome.report.redemptions.count).toBe(1);
	});

	it('needs a reason for every difference and a second staff member beyond the limit', async () => {
		const { db } = await shopKiosk();
		const view = (await openClosing(db, EVENING))!;
		expect(
			await closeDay(
				db,
				{ staffId: SHOPKEEPER, counts: countsFor(view.lines, { [RICE]: { counted: 7 } }) },
				EVENING
			)
		).toEqual({ ok: false, problem: 'needs_reason' });

		// 20 soap expected, 10 counted: 10 missing is beyond the limit of 5.
		const bigGap = countsFor(view.lines, { [SOAP]: { counted: 10, reason: '整盒不见了' } });
		expect(await closeDay(db, { staffId: SHOPKEEPER, counts: bigGap }, EVENING)).toEqual({
			ok: false,
			problem: 'needs_approver'
		});
		expect(
			await closeDay(
				db,
				{ staffId: SHOPKEEPER, approverStaffId: SHOPKEEPER, counts: bigGap },
				EVENING
			)
		).toEqual({ ok: false, problem: 'unknown_approver' });
		const outcome = await closeDay(
			db,
			{ staffId: SHOPKEEPER, approverStaffId: MANAGER, counts: bigGap },
			EVENING
		);
		expect(outcome.ok).toBe(true);
		if (!outcome.ok) return;
		expect(outcome.report.approverName).toBe('社区管理员');
		expect(outcome.event.payload.approverStaffId).toBe(MANAGER);
	});

	it.each([-1, 1.5, 1e9, Number.NaN])('refuses the count %s', async (counted) => {
		const { db } = await shopKiosk();
		const view = (await openClosing(db, EVENING))!;
		expect(
			await closeDay(
				db,
				{ staffId: SHOPKEEPER, counts: countsFor(view.lines, { [RICE]: { counted } }) },
				EVENING
			)
		).toEqual({ ok: false, problem: 'invalid_quantity' });
	});

	it('takes an empty shelf (0) as a real count', async () => {
		const { db } = await shopKiosk();
		const view = (await openClosing(db, EVENING))!;
		const outcome = await closeDay(
			db,
			{
				staffId: SHOPKEEPER,
				approverStaffId: MANAGER,
				counts: countsFor(view.lines, { [RICE]: { counted: 0, reason: '全部过期' } })
			},
			EVENING
		);
		expect(outcome.ok && outcome.report.items[0]).toMatchObject({ counted: 0, difference: -8 });
	});

	it('makes a CSV of the report that Excel reads', async () => {
		const { db } = await shopKiosk();
		const view = (await openClosing(db, EVENING))!;
		const outcome = await closeDay(
			db,
			{ staffId: SHOPKEEPER, counts: countsFor(view.lines) },
			EVENING
		);
		if (!outcome.ok) throw new Error(outcome.problem);
		const csv = dayReportCsv(outcome.report, 'Asia/Shanghai');
		expect(csv.startsWith('\uFEFF日结报表,2025-06-01\r\n')).toBe(true);
		expect(csv).toContain('\r\n10,大米 5kg,8,0,0,0,0,8,8,0,\r\n');
	});
});

describe('voiding', () => {
	it('lists the day’s redemptions with the voided ones marked', async () => {
		const { db } = await shopKiosk();
		const a = await redeem(db, [{ itemId: RICE, quantity: 1, unitPoints: 30 }], MORNING);
		const b = await redeem(db, [{ itemId: SOAP, quantity: 1, unitPoints: 5 }], MORNING);
		await voidRedemption(
			db,
			{ staffId: SHOPKEEPER, redemptionId: a.eventId, reason: '错' },
			MORNING
		);
		const list = await listVoidableRedemptions(db, MORNING);
		expect(list.map((r) => [r.eventId, r.voided])).toEqual([
			[b.eventId, false],
			[a.eventId, true]
		]);
	});
});
