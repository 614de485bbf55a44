import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { RedemptionEventSchema } from '$lib/protocol/events';
import { availableBalance, availableStock, listCatalogue, spentOfflineToday } from './balances';
import { getMeta, openKioskDb, type KioskDb } from './local-db';
import { recordRedemption, type RedemptionInput } from './redemption';
import { applyPullPage, applyPushResults } from './sync-client';
import {
	scannedCard,
	communityKeys,
	freshDb,
	item,
	resident,
	seedEnrolledKiosk
} from './testing/kiosk-fixtures';

let db: KioskDb;

async function kiosk(setup: Partial<Parameters<typeof seedEnrolledKiosk>[1]> = {}) {
	db = freshDb();
	const keys = await communityKeys();
	await seedEnrolledKiosk(db, {
		publicKey: keys.publicKeyText,
		residents: [resident(1, { balance: 100 }), resident(2, { balance: 500 })],
		items: [
			item(10, { points: 30, stock: 3 }),
			item(11, { points: 5, stock: 100 }),
			item(12, { points: 20, stockTracked: false, stock: 0, kind: 'service' })
		],
		...setup
	});
	return db;
}

const NOW = new Date('2025-06-01T02:00:00Z');

async function redeem(change: Partial<RedemptionInput> = {}, on: KioskDb = db) {
	return recordRedemption(on, {
		residentId: 1,
		cardSerial: 1,
		// A kiosk that is not enrolled has no key to sign with: any text does, it is refused first.
		credential: await scannedCard(on, change.residentId ?? 1).catch(() => 'not enrolled'),
		offline: false,
		now: NOW,
		lines: [{ itemId: 10, quantity: 1, unitPoints: 30 }],
		...change
	});
}

afterEach(() => db?.close());

describe('recording a redemption', () => {
	it('writes the redemption and a protocol-valid outbox event together', async () => {
		await kiosk();
		const outcome = await redeem();
		expect(outcome.ok).toBe(true);
		if (!outcome.ok) return;
		expect(outcome.available).toBe(70);
		expect(v.safeParse(RedemptionEventSchema, outcome.event).success).toBe(true);
		expect(outcome.event.payload).toEqual({
			residentId: 1,
			cardSerial: 1,
			credential: await scannedCard(db, 1),
			lines: [{ itemId: 10, quantity: 1, unitPoints: 30 }],
			totalPoints: 30,
			offline: false,
			businessDate: '2025-06-01'
		});
		const [stored] = await db.redemptions.toArray();
		expect(stored).toMatchObject({ status: 'pending', ackSeq: null, lines: [{ name: '物品10' }] });
		// The card's text waits in the outbox only, never in the kiosk's own redemption record.
		expect(JSON.stringify(stored)).not.toContain('CS1.');
		expect((await db.outbox.get(outcome.event.id))?.event).toEqual(outcome.event);
	});

	it('numbers events 1, 2, 3 in the same transaction as the event', async () => {
		await kiosk();
		await redeem();
		await redeem({ lines: [{ itemId: 11, quantity: 1, unitPoints: 5 }] });
		const seqs = (await db.outbox.orderBy('deviceSeq').toArray()).map((r) => r.event.deviceSeq);
		expect(seqs).toEqual([1, 2]);
		expect(await getMeta(db, 'deviceSeq')).toBe(2);
	});

	it('rolls back the redemption, the outbox row and the counter when any write fails', async () => {
		await kiosk();
		db.outbox.hook('creating', () => {
			throw new Error('disk full');
		});
		await expect(redeem()).rejects.toThrow('disk full');
		expect(await db.redemptions.count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
		expect(await getMeta(db, 'deviceSeq')).toBeUndefined();
		expect(await availableBalance(db, 1)).toBe(100);
	});

	it('cannot overspend on a double tap: the second commit sees the first', async () => {
		await kiosk();
		const lines = [{ itemId: 11, quantity: 12, unitPoints: 5 }];
		const outcomes = await Promise.all([redeem({ lines }), redeem({ lines })]);
		expect(outcomes.map((o) => (o.ok ? 'ok' : o.problem)).sort()).toEqual([
			'insufficient_points',
			'ok'
		]);
		expect(await db.outbox.count()).toBe(1);
		expect(await availableBalance(db, 1)).toBe(40);
	});

	it('refuses more than the stock this kiosk may still hand out', async () => {
		await kiosk();
		await redeem({ residentId: 2, lines: [{ itemId: 10, quantity: 2, unitPoints: 30 }] });
		expect(await availableStock(db, 10)).toBe(1);
		const outcome = await redeem({
			residentId: 2,
			lines: [{ itemId: 10, quantity: 2, unitPoints: 30 }]
		});
		expect(outcome).toEqual({ ok: false, problem: 'out_of_stock' });
		const rice = (await listCatalogue(db)).find((i) => i.id === 10);
		expect(rice?.stock).toBe(1);
	});

	it('enforces the offline daily limit per resident and business day', async () => {
		await kiosk({ community: { offlineDailyLimit: 40 } });
		const lines = [{ itemId: 11, quantity: 6, unitPoints: 5 }];
		expect((await redeem({ offline: true, lines })).ok).toBe(true);
		expect(await spentOfflineToday(db, 1, '2025-06-01')).toBe(30);
		expect(await redeem({ offline: true, lines })).toEqual({
			ok: false,
			problem: 'offline_daily_limit'
		});
		// Online, or on the next business day (Shanghai), the limit does not stand in the way.
		expect((await redeem({ offline: false, lines })).ok).toBe(true);
		const nextDay = new Date('2025-06-01T17:00:00Z');
		expect((await redeem({ offline: true, lines, now: nextDay })).ok).toBe(true);
		expect(await availableBalance(db, 1)).toBe(10);
	});

	it('refuses every redemption once the last pull is too old', async () => {
		await kiosk({ lastPullAt: new Date(NOW.getTime() - 73 * 3_600_000).toISOString() });
		expect(await redeem()).toEqual({ ok: false, problem: 'pull_too_old' });
		await kiosk({ lastPullAt: null });
		expect(await redeem()).toEqual({ ok: false, problem: 'pull_too_old' });
	});

	it('refuses unknown residents and items, and a kiosk that is not enrolled', async () => {
		await kiosk();
		expect(await redeem({ residentId: 99 })).toEqual({ ok: false, problem: 'unknown_resident' });
		expect(await redeem({ lines: [{ itemId: 99, quantity: 1, unitPoints: 1 }] })).toEqual({
			ok: false,
			problem: 'unknown_item'
		});
		expect(await redeem({ lines: [] })).toEqual({ ok: false, problem: 'invalid_cart' });
		await db.meta.delete('device');
		expect(await redeem()).toEqual({ ok: false, problem: 'not_enrolled' });
	});

	it('refuses a resident a pull marked as moved out, writing nothing', async () => {
		await kiosk({ residents: [resident(1, { balance: 100, active: false })] });
		expect(await redeem()).toEqual({ ok: false, problem: 'moved_out' });
		expect(await db.redemptions.count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
	});
});

describe('one transaction that reads, decides and writes', () => {
	const pull = (changes: Parameters<typeof applyPullPage>[1]['changes'], cursor = 0) =>
		applyPullPage(
			db,
			{ changes, cursor, hasMore: false, serverTime: NOW.toISOString() },
			NOW.toISOString()
		);

	it('decides from the data before its own writes: a resident can spend to the last point', async () => {
		await kiosk({ residents: [resident(1, { balance: 60 })] });
		expect(await redeem()).toMatchObject({ ok: true, available: 30 });
		expect(await redeem()).toMatchObject({ ok: true, available: 0 });
		expect(await redeem()).toEqual({ ok: false, problem: 'insufficient_points' });
		expect(await db.redemptions.count()).toBe(2);
		expect(await db.outbox.count()).toBe(2);
		expect(await getMeta(db, 'deviceSeq')).toBe(2);
	});

	it('numbers its event after the kiosk’s other events', async () => {
		await kiosk();
		await redeem();
		// Another of this kiosk's events (a void, a delivery) took numbers 2 to 4 meanwhile.
		await db.meta.put({ key: 'deviceSeq', value: 4 });
		const outcome = await redeem({ lines: [{ itemId: 11, quantity: 1, unitPoints: 5 }] });
		expect(outcome).toMatchObject({ ok: true, event: { deviceSeq: 5 } });
		expect((await db.outbox.toArray()).map((r) => r.deviceSeq).sort()).toEqual([1, 5]);
	});

	it('counts only earlier redemptions against the offline day limit after a pull moved the cursor', async () => {
		await kiosk({ community: { offlineDailyLimit: 40 } });
		const five = [{ itemId: 11, quantity: 1, unitPoints: 5 }];
		expect(await redeem({ offline: true, lines: five })).toMatchObject({ ok: true });
		await pull([], 9);
		// 5 spent, 30 more is 35 of 40.
		const thirty = [{ itemId: 11, quantity: 6, unitPoints: 5 }];
		expect(await redeem({ offline: true, lines: thirty })).toMatchObject({ ok: true });
		expect(await spentOfflineToday(db, 1, '2025-06-01')).toBe(35);
		expect(await redeem({ offline: true, lines: five, residentId: 1 })).toMatchObject({ ok: true });
		expect(await redeem({ offline: true, lines: five })).toEqual({
			ok: false,
			problem: 'offline_daily_limit'
		});
	});

	it('keeps the item name the kiosk has now in the record', async () => {
		await kiosk();
		await db.items.update(11, { name: '洗衣皂（新包装）' });
		const outcome = await redeem({ lines: [{ itemId: 11, quantity: 1, unitPoints: 5 }] });
		expect(outcome).toMatchObject({
			ok: true,
			redemption: { lines: [{ name: '洗衣皂（新包装）' }] }
		});
	});

	it('writes nothing when it refuses', async () => {
		await kiosk();
		await redeem();
		const outcome = await redeem({ lines: [{ itemId: 11, quantity: 20, unitPoints: 5 }] });
		expect(outcome).toEqual({ ok: false, problem: 'insufficient_points' });
		expect(await db.redemptions.count()).toBe(1);
		expect(await db.outbox.count()).toBe(1);
		expect(await getMeta(db, 'deviceSeq')).toBe(1);
		expect(await availableBalance(db, 1)).toBe(70);
	});

	it('sees a pull that changed the balance, and a redemption and a void another tab made', async () => {
		await kiosk({ residents: [resident(1, { balance: 60 })] });
		await pull([{ seq: 3, entity: 'resident', data: resident(1, { balance: 20 }) }], 3);
		expect(await redeem()).toEqual({ ok: false, problem: 'insufficient_points' });
		await pull([{ seq: 4, entity: 'resident', data: resident(1, { balance: 60 }) }], 4);
		const otherTab = openKioskDb({ name: db.name, indexedDB, IDBKeyRange });
		try {
			const spent = await redeem({ lines: [{ itemId: 11, quantity: 6, unitPoints: 5 }] }, otherTab);
			if (!spent.ok) throw new Error(spent.problem);
			const lines = [{ itemId: 10, quantity: 2, unitPoints: 30 }];
			expect(await redeem({ lines })).toEqual({ ok: false, problem: 'insufficient_points' });
			// Voided in shop mode in the other tab: the 30 points are back.
			await otherTab.voids.add({
				eventId: 'void-1',
				deviceSeq: 2,
				redemptionId: spent.redemption.eventId,
				residentId: 1,
				points: 30,
				reason: '拿错了',
				staffId: 1,
				businessDate: '2025-06-01',
				occurredAt: NOW.toISOString(),
				status: 'pending',
				ackSeq: null
			});
			expect(await redeem({ lines })).toMatchObject({ ok: true, available: 0 });
		} finally {
			otherTab.close();
		}
	});
});

describe('a kiosk with days of redemptions waiting', () => {
	it('counts the stock its pending redemptions took, whoever redeemed and whatever else they took', async () => {
		await kiosk({ residents: [resident(1, { balance: 100 }), resident(2, { balance: 5000 })] });
		for (let i = 0; i < 40; i++) {
			const lines =
				i === 7
					? [
							{ itemId: 11, quantity: 1, unitPoints: 5 },
							{ itemId: 10, quantity: 2, unitPoints: 30 }
						]
					: [{ itemId: 11, quantity: 1, unitPoints: 5 }];
			expect(await redeem({ residentId: 2, offline: false, lines })).toMatchObject({ ok: true });
		}
		// Stock 3 of item 10, two of them handed out in the 8th redemption: one left.
		const two = [{ itemId: 10, quantity: 2, unitPoints: 30 }];
		expect(await redeem({ lines: two })).toEqual({ ok: false, problem: 'out_of_stock' });
		expect(await redeem({ lines: [{ itemId: 10, quantity: 1, unitPoints: 30 }] })).toMatchObject({
			ok: true
		});
	});

	it('takes a redemption out of the pending index once the server answered it', async () => {
		await kiosk();
		const outcome = await redeem();
		if (!outcome.ok) throw new Error(outcome.problem);
		expect(await db.redemptions.where('pendingItemIds').equals(10).count()).toBe(1);
		const [row] = await db.outbox.toArray();
		await applyPushResults(
			db,
			[row!],
			[{ id: outcome.event.id, status: 'applied', seq: 12 }],
			0,
			NOW.toISOString()
		);
		expect(await db.redemptions.where('pendingItemIds').equals(10).count()).toBe(0);
		// Acknowledged but not pulled yet: it still counts against the stock.
		expect(await availableStock(db, 10)).toBe(2);
	});
});

describe('available balance and stock', () => {
	it('subtracts a redemption until a pull reflects it, and never twice', async () => {
		await kiosk({ cursor: 5 });
		const outcome = await redeem({ lines: [{ itemId: 10, quantity: 2, unitPoints: 30 }] });
		if (!outcome.ok) throw new Error(outcome.problem);
		expect(await availableBalance(db, 1)).toBe(40);
		expect(await availableStock(db, 10)).toBe(1);

		// Acknowledged with seq 8: the pulled snapshot (cursor 5) does not carry it yet.
		const [row] = await db.outbox.toArray();
		await applyPushResults(
			db,
			[row!],
			[{ id: outcome.event.id, status: 'applied', seq: 8 }],
			0,
			NOW.toISOString()
		);
		expect(await db.outbox.count()).toBe(0);
		expect(await availableBalance(db, 1)).toBe(40);
		expect(await availableStock(db, 10)).toBe(1);

		// A page up to seq 7 still does not carry it ...
		await applyPullPage(
			db,
			{ changes: [], cursor: 7, hasMore: true, serverTime: NOW.toISOString() },
			NOW.toISOString()
		);
		expect(await availableBalance(db, 1)).toBe(40);

		// ... the page with seq 8 does: the server's numbers now include it.
		await applyPullPage(
			db,
			{
				changes: [
					{ seq: 8, entity: 'resident', data: resident(1, { balance: 40 }) },
					{ seq: 8, entity: 'item', data: item(10, { points: 30, stock: 1 }) }
				],
				cursor: 8,
				hasMore: false,
				serverTime: NOW.toISOString()
			},
			NOW.toISOString()
		);
		expect(await availableBalance(db, 1)).toBe(40);
		expect(await availableStock(db, 10)).toBe(1);
	});

	it('checks the next redemption against the cursor a pull moved since the last one', async () => {
		await kiosk({ cursor: 5 });
		const first = await redeem({ lines: [{ itemId: 10, quantity: 2, unitPoints: 30 }] });
		if (!first.ok) throw new Error(first.problem);
		const [row] = await db.outbox.toArray();
		await applyPushResults(
			db,
			[row!],
			[{ id: first.event.id, status: 'applied', seq: 8 }],
			0,
			NOW.toISOString()
		);
		await applyPullPage(
			db,
			{
				changes: [{ seq: 8, entity: 'resident', data: resident(1, { balance: 40 }) }],
				cursor: 8,
				hasMore: false,
				serverTime: NOW.toISOString()
			},
			NOW.toISOString()
		);
		// Read at the old cursor 5, the first redemption would count again and leave −20.
		const second = await redeem({ lines: [{ itemId: 11, quantity: 6, unitPoints: 5 }] });
		expect(second).toMatchObject({ ok: true, available: 10 });
	});

	it('gives a rejected redemption back', async () => {
		await kiosk();
		const outcome = await redeem();
		if (!outcome.ok) throw new Error(outcome.problem);
		const [row] = await db.outbox.toArray();
		await applyPushResults(
			db,
			[row!],
			[{ id: outcome.event.id, status: 'rejected', reason: 'unknown_item', message: '没有' }],
			0,
			NOW.toISOString()
		);
		expect(await availableBalance(db, 1)).toBe(100);
		expect(await db.attention.count()).toBe(1);
	});
});
