import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DeviceEventSchema } from '$lib/protocol/events';
import { availableBalance, spentOfflineToday } from '../balances';
import { recordRedemption } from '../redemption';
import { applyPushResults } from '../sync-client';
import {
	MASSAGE,
	MORNING,
	NEXT_MORNING,
	redeem,
	RICE,
	SHOPKEEPER,
	shopKiosk
} from '../testing/shop-fixtures';
import { scannedCard } from '../testing/kiosk-fixtures';
import { stockOnHand } from './stock';
import { voidRedemption } from './voids';
import { shopAttention } from './attention';

describe('voiding a redemption (撤销)', () => {
	it('gives the points and the goods back at once, and keeps the original', async () => {
		const { db } = await shopKiosk();
		const redemption = await redeem(
			db,
			[
				{ itemId: RICE, quantity: 2, unitPoints: 30 },
				{ itemId: MASSAGE, quantity: 1, unitPoints: 20 }
			],
			MORNING
		);
		expect(await availableBalance(db, 1)).toBe(20);
		const outcome = await voidRedemption(
			db,
			{ staffId: SHOPKEEPER, redemptionId: redemption.eventId, reason: '  拿错了  ' },
			MORNING
		);
		expect(outcome.ok).toBe(true);
		if (!outcome.ok) return;
		expect(v.safeParse(DeviceEventSchema, outcome.event).success).toBe(true);
		expect(outcome.event.payload).toEqual({
			redemptionId: redemption.eventId,
			reason: '拿错了',
			staffId: SHOPKEEPER,
			businessDate: '2025-06-01'
		});
		expect(await availableBalance(db, 1)).toBe(100);
		expect((await stockOnHand(db)).get(RICE)).toBe(8);
		expect(await db.redemptions.get(redemption.eventId)).toMatchObject({
			status: 'pending',
			voidEventId: outcome.event.id
		});
		// The resident can redeem again what the mistake took, offline limit included.
		expect(await spentOfflineToday(db, 1, '2025-06-01')).toBe(0);
		const again = await recordRedemption(db, {
			residentId: 1,
			cardSerial: 1,
			credential: await scannedCard(db, 1),
			lines: [{ itemId: RICE, quantity: 3, unitPoints: 30 }],
			offline: false,
			now: MORNING
		});
		expect(again.ok && again.available).toBe(10);
	});

	it('refuses to void twice, another day’s redemption, or without a reason', async () => {
		const { db } = await shopKiosk();
		const redemption = await redeem(db, [{ itemId: RICE, quantity: 1, unitPoints: 30 }], MORNING);
		const input = { staffId: SHOPKEEPER, redemptionId: redemption.eventId, reason: '错' };
		expect(await voidRedemption(db, { ...input, reason: '   ' }, MORNING)).toEqual({
			ok: false,
			problem: 'needs_reason'
		});
		expect((await voidRedemption(db, input, MORNING)).ok).toBe(true);
		expect(await voidRedemption(db, input, MORNING)).toEqual({
			ok: false,
			problem: 'already_voided'
		});
		const yesterday = await redeem(db, [{ itemId: RICE, quantity: 1, unitPoints: 30 }], MORNING);
		expect(
			await voidRedemption(db, { ...input, redemptionId: yesterday.eventId }, NEXT_MORNING)
		).toEqual({ ok: false, problem: 'not_same_day' });
		expect(
			await voidRedemption(
				db,
				{ ...input, redemptionId: '0190f5c2-0000-7000-8000-0000000000aa' },
				MORNING
			)
		).toEqual({ ok: false, problem: 'unknown_redemption' });
		expect(await db.voids.count()).toBe(1);
	});

	it('stands the redemption up again when the server refuses the void', async () => {
		const { db } = await shopKiosk();
		const redemption = await redeem(db, [{ itemId: RICE, quantity: 1, unitPoints: 30 }], MORNING);
		const outcome = await voidRedemption(
			db,
			{ staffId: SHOPKEEPER, redemptionId: redemption.eventId, reason: '错' },
			MORNING
		);
		if (!outcome.ok) throw new Error(outcome.problem);
		const outbox = await db.outbox.orderBy('deviceSeq').toArray();
		await applyPushResults(
			db,
			outbox,
			[
				{ id: redemption.eventId, status: 'applied', seq: 5 },
				{
					id: outcome.event.id,
					status: 'rejected',
					reason: 'already_voided',
					message: '这笔兑换已经撤销过了'
				}
			],
			0,
			MORNING.toISOString()
		);
		expect((await db.redemptions.get(redemption.eventId))?.voidEventId).toBeUndefined();
		expect(await availableBalance(db, 1)).toBe(70);
		expect((await stockOnHand(db)).get(RICE)).toBe(7);
		const attention = await shopAttention(db);
		expect(attention.rejected.map((row) => row.reason)).toEqual(['already_voided']);
		// The shopkeeper may void it again (the refused record stays for the attention list).
		const again = await voidRedemption(
			db,
			{ staffId: SHOPKEEPER, redemptionId: redemption.eventId, reason: '再试一次' },
			MORNING
		);
		expect(again.ok).toBe(true);
		expect(await availableBalance(db, 1)).toBe(100);
		expect(await db.voids.count()).toBe(2);
	});

	it('refuses a redemption the server refused: nothing to give back', async () => {
		const { db } = await shopKiosk();
		const redemption = await redeem(db, [{ itemId: RICE, quantity: 1, unitPoints: 30 }], MORNING);
		await db.transaction('rw', [db.meta, db.redemptions], () =>
			db.redemptions.update(redemption.eventId, { status: 'rejected' })
		);
		expect(
			await voidRedemption(
				db,
				{ staffId: SHOPKEEPER, redemptionId: redemption.eventId, reason: '错' },
				MORNING
			)
		).toEqual({ ok: false, problem: 'rejected_redemption' });
	});
});

describe('what shop mode shows first', () => {
	it('lists redemptions the server flagged, newest first, with the kinds it named', async () => {
		const { db } = await shopKiosk();
		const a = await redeem(db, [{ itemId: RICE, quantity: 1, unitPoints: 30 }], MORNING);
		const b = await redeem(db, [{ itemId: RICE, quantity: 1, unitPoints: 30 }], MORNING);
		const outbox = await db.outbox.orderBy('deviceSeq').toArray();
		await applyPushResults(
			db,
			outbox,
			[
				{ id: a.eventId, status: 'applied', seq: 1 },
				{ id: b.eventId, status: 'applied', seq: 2, flagged: true, flags: ['revoked_card'] }
			],
			0,
			MORNING.toISOString()
		);
		const attention = await shopAttention(db);
		expect(attention.flagged.map((r) => [r.eventId, r.flags])).toEqual([
			[b.eventId, ['revoked_card']]
		]);
		expect(attention.rejected).toEqual([]);
	});
});
