import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DeviceEventSchema } from '$lib/protocol/events';
import { listCatalogue } from '../balances';
import { applyPullPage, applyPushResults } from '../sync-client';
import { item } from '../testing/kiosk-fixtures';
import {
	MASSAGE,
	MORNING,
	redeem,
	RICE,
	SHOPKEEPER,
	shopKiosk,
	SOAP
} from '../testing/shop-fixtures';
import { recordStockLoss, recordStockReceipt, stockOnHand } from './stock';

describe('receiving a delivery (入库)', () => {
	it('writes one protocol-valid event and the stock shows it at once', async () => {
		const { db } = await shopKiosk();
		const outcome = await recordStockReceipt(
			db,
			{
				staffId: SHOPKEEPER,
				lines: [
					{ itemId: RICE, quantity: 12 },
					{ itemId: SOAP, quantity: 30 }
				],
				note: '  粮油店送货  '
			},
			MORNING
		);
		expect(outcome.ok).toBe(true);
		if (!outcome.ok) return;
		expect(v.safeParse(DeviceEventSchema, outcome.event).success).toBe(true);
		expect(outcome.event.payload).toEqual({
			lines: [
				{ itemId: RICE, quantity: 12 },
				{ itemId: SOAP, quantity: 30 }
			],
			note: '粮油店送货',
			staffId: SHOPKEEPER,
			businessDate: '2025-06-01'
		});
		expect(await db.outbox.count()).toBe(1);
		const stock = await stockOnHand(db);
		expect(stock.get(RICE)).toBe(20);
		expect(stock.get(SOAP)).toBe(50);
		expect(stock.has(MASSAGE)).toBe(false);
		// The counter may hand out the new stock while still offline.
		const rice = (await listCatalogue(db)).find((i) => i.id === RICE);
		expect(rice?.stock).toBe(20);
	});

	it.each([
		['zero', 0],
		['negative', -1],
		['fractional', 1.5],
		['absurd', 1e9],
		['not a number', Number.NaN]
	])('refuses a %s quantity and records nothing', async (_, quantity) => {
		const { db } = await shopKiosk();
		const outcome = await recordStockReceipt(
			db,
			{ staffId: SHOPKEEPER, lines: [{ itemId: RICE, quantity }] },
			MORNING
		);
		expect(outcome).toEqual({ ok: false, problem: 'invalid_quantity' });
		expect(await db.outbox.count()).toBe(0);
		expect(await db.stockMovements.count()).toBe(0);
		expect((await stockOnHand(db)).get(RICE)).toBe(8);
	});

	it('refuses an empty delivery, the same item twice, a service and an unknown item', async () => {
		const { db } = await shopKiosk();
		const receive = (lines: Array<{ itemId: number; quantity: number }>) =>
			recordStockReceipt(db, { staffId: SHOPKEEPER, lines }, MORNING);
		expect(await receive([])).toEqual({ ok: false, problem: 'no_lines' });
		expect(
			await receive([
				{ itemId: RICE, quantity: 1 },
				{ itemId: RICE, quantity: 2 }
			])
		).toEqual({ ok: false, problem: 'duplicate_item' });
		expect(await receive([{ itemId: MASSAGE, quantity: 1 }])).toEqual({
			ok: false,
			problem: 'not_stock_tracked'
		});
		expect(await receive([{ itemId: 999, quantity: 1 }])).toEqual({
			ok: false,
			problem: 'unknown_item'
		});
		expect(await db.outbox.count()).toBe(0);
	});

	it('refuses a staff member the kiosk does not know or who left', async () => {
		const { db } = await shopKiosk();
		await db.staff.update(SHOPKEEPER, { active: false });
		const lines = [{ itemId: RICE, quantity: 1 }];
		expect(await recordStockReceipt(db, { staffId: SHOPKEEPER, lines }, MORNING)).toEqual({
			ok: false,
			problem: 'unknown_staff'
		});
		expect(await recordStockReceipt(db, { staffId: 77, lines }, MORNING)).toEqual({
			ok: false,
			problem: 'unknown_staff'
		});
	});
});

describe('recording a loss (报损)', () => {
	it('takes the goods off the stock with the reason', async () => {
		const { db } = await shopKiosk();
		const outcome = await recordStockLoss(
			db,
			{ staffId: SHOPKEEPER, itemId: SOAP, quantity: 3, reason: 'damaged', note: '受潮' },
			MORNING
		);
		expect(outcome.ok).toBe(true);
		if (!outcome.ok) return;
		expect(v.safeParse(DeviceEventSchema, outcome.event).success).toBe(true);
		expect(outcome.movement.lines).toEqual([{ itemId: SOAP, name: '香皂', quantity: -3 }]);
		expect((await stockOnHand(db)).get(SOAP)).toBe(17);
	});

	it.each([0, -2, 2.5, 1e9])('refuses the quantity %s', async (quantity) => {
		const { db } = await shopKiosk();
		expect(
			await recordStockLoss(
				db,
				{ staffId: SHOPKEEPER, itemId: SOAP, quantity, reason: 'lost' },
				MORNING
			)
		).toEqual({ ok: false, problem: 'invalid_quantity' });
	});
});

describe('stock on hand', () => {
	it('stops counting an acknowledged movement once a pull reflects it, and never twice', async () => {
		const { db } = await shopKiosk();
		const outcome = await recordStockReceipt(
			db,
			{ staffId: SHOPKEEPER, lines: [{ itemId: RICE, quantity: 5 }] },
			MORNING
		);
		if (!outcome.ok) throw new Error(outcome.problem);
		await redeem(db, [{ itemId: RICE, quantity: 2, unitPoints: 30 }], MORNING);
		expect((await stockOnHand(db)).get(RICE)).toBe(8 + 5 - 2);

		// The server takes both; their effect arrives with seq 40 and 41.
		const outbox = await db.outbox.orderBy('deviceSeq').toArray();
		await applyPushResults(
			db,
			outbox,
			outbox.map((row, i) => ({ id: row.eventId, status: 'applied' as const, seq: 40 + i })),
			0,
			MORNING.toISOString()
		);
		// Acknowledged but not pulled yet: still counted on top of the old figure.
		expect((await stockOnHand(db)).get(RICE)).toBe(11);

		await applyPullPage(
			db,
			{
				changes: [{ seq: 41, entity: 'item', data: item(RICE, { name: '大米 5kg', stock: 11 }) }],
				cursor: 41,
				hasMore: false,
				serverTime: MORNING.toISOString()
			},
			MORNING.toISOString()
		);
		expect((await stockOnHand(db)).get(RICE)).toBe(11);
	});

	it('forgets a movement the server refused', async () => {
		const { db } = await shopKiosk();
		const outcome = await recordStockReceipt(
			db,
			{ staffId: SHOPKEEPER, lines: [{ itemId: RICE, quantity: 5 }] },
			MORNING
		);
		if (!outcome.ok) throw new Error(outcome.problem);
		const outbox = await db.outbox.toArray();
		await applyPushResults(
			db,
			outbox,
			[
				{
					id: outcome.event.id,
					status: 'rejected',
					reason: 'unknown_staff',
					message: '店员不是本社区的'
				}
			],
			0,
			MORNING.toISOString()
		);
		expect((await stockOnHand(db)).get(RICE)).toBe(8);
		expect(await db.attention.count()).toBe(1);
	});
});
