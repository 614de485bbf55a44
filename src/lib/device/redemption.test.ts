import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { RedemptionEventSchema } from '$lib/protocol/events';
import { availableBalance, availableStock, listCatalogue, spentOfflineToday } from './balances';
import { getMeta, openKioskDb, type KioskDb } from './local-db';
import {
	prepareRedemption,
	readRedemptionGuesses,
	recordRedemption,
	type RedemptionInput
} from './redemption';
import { applyPullPage, applyPushResults } from './sync-client';
import {
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

/** As the counter redeems: each line with the name the resident saw (the fixtures' names). */
function redeem(change: Partial<RedemptionInput> = {}, on: KioskDb = db) {
	const lines = change.lines ?? [{ itemId: 10, quantity: 1, unitPoints: 30 }];
	return recordRedemption(on, {
		residentId: 1,
		cardSerial: 1,
		offline: false,
		now: NOW,
		...change,
		lines: lines.map((line) => ({ name: `物品${line.itemId}`, ...line }))
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
			lines: [{ itemId: 10, quantity: 1, unitPoints: 30 }],
			totalPoints: 30,
			offline: false,
			businessDate: '2025-06-01'
		});
		const [stored] = await db.redemptions.toArray();
		expect(stored).toMatchObject({ status: 'pending', ackSeq: null, lines: [{ name: '物品10' }] });
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

describe('writing in the same round as the reads', () => {
	function countTransactions() {
		const spy = vi.spyOn(db, 'transaction');
		return () => spy.mock.calls.length;
	}

	it('takes one transaction when what the last redemption found still holds', async () => {
		await kiosk();
		const transactions = countTransactions();
		await redeem({ residentId: 2 });
		await redeem({ residentId: 2, lines: [{ itemId: 11, quantity: 1, unitPoints: 5 }] });
		await redeem({ residentId: 2, lines: [{ itemId: 12, quantity: 1, unitPoints: 20 }] });
		expect(transactions()).toBe(3);
		const rows = await db.outbox.orderBy('deviceSeq').toArray();
		expect(rows.map((r) => r.event.deviceSeq)).toEqual([1, 2, 3]);
		expect(await getMeta(db, 'deviceSeq')).toBe(3);
		expect(await availableBalance(db, 2)).toBe(445);
	});

	it('decides from the data before its own writes: a resident can spend to the last point', async () => {
		await kiosk({ residents: [resident(1, { balance: 60 })] });
		expect(await redeem()).toMatchObject({ ok: true, available: 30 });
		expect(await redeem()).toMatchObject({ ok: true, available: 0 });
		expect(await redeem()).toEqual({ ok: false, problem: 'insufficient_points' });
		expect(await db.redemptions.count()).toBe(2);
		expect(await db.outbox.count()).toBe(2);
		expect(await getMeta(db, 'deviceSeq')).toBe(2);
	});

	it('rolls the early writes back when the counter moved since: numbered after the new value', async () => {
		await kiosk();
		await redeem();
		// Another of this kiosk's events (a void, a delivery) took numbers 2 to 4 meanwhile.
		await db.meta.put({ key: 'deviceSeq', value: 4 });
		const transactions = countTransactions();
		const outcome = await redeem({ lines: [{ itemId: 11, quantity: 1, unitPoints: 5 }] });
		expect(outcome).toMatchObject({ ok: true, event: { deviceSeq: 5 } });
		expect(transactions()).toBe(2);
		expect((await db.redemptions.toArray()).map((r) => r.deviceSeq).sort()).toEqual([1, 5]);
		expect((await db.outbox.toArray()).map((r) => r.deviceSeq).sort()).toEqual([1, 5]);
	});

	it('starts from guesses read at start-up, and checks them like any other', async () => {
		await kiosk();
		const token = await getMeta(db, 'decisionToken');
		await readRedemptionGuesses(db);
		// Read only: nothing written, and no reads kept for a tap.
		expect(await getMeta(db, 'decisionToken')).toBe(token);
		expect(await db.redemptions.count()).toBe(0);
		await db.meta.put({ key: 'deviceSeq', value: 7 });
		const transactions = countTransactions();
		expect(await redeem()).toMatchObject({ ok: true, event: { deviceSeq: 8 } });
		// The early writes went out with the start-up guess (seq 1), were rolled back, and redone.
		expect(transactions()).toBe(2);
		expect((await db.outbox.toArray()).map((r) => r.deviceSeq)).toEqual([8]);
	});

	it('counts only earlier redemptions against the offline day limit after a pull moved the cursor', async () => {
		await kiosk({ community: { offlineDailyLimit: 40 } });
		const five = [{ itemId: 11, quantity: 1, unitPoints: 5 }];
		expect(await redeem({ offline: true, lines: five })).toMatchObject({ ok: true });
		await applyPullPage(
			db,
			{ changes: [], cursor: 9, hasMore: false, serverTime: NOW.toISOString() },
			NOW.toISOString()
		);
		// 5 spent, 30 more is 35 of 40: this one's own early write must not count as spent too.
		const thirty = [{ itemId: 11, quantity: 6, unitPoints: 5 }];
		expect(await redeem({ offline: true, lines: thirty })).toMatchObject({ ok: true });
		expect(await spentOfflineToday(db, 1, '2025-06-01')).toBe(35);
	});

	it('keeps the name the kiosk has now when the screen showed an older one', async () => {
		await kiosk();
		await redeem();
		await db.transaction('rw', [db.meta, db.items], () =>
			db.items.update(11, { name: '洗衣皂（新包装）' })
		);
		const outcome = await redeem({ lines: [{ itemId: 11, quantity: 1, unitPoints: 5 }] });
		expect(outcome).toMatchObject({
			ok: true,
			redemption: { lines: [{ name: '洗衣皂（新包装）' }] }
		});
		expect(await db.redemptions.count()).toBe(2);
	});

	it('rolls the early writes back on a refusal', async () => {
		await kiosk();
		await redeem();
		const outcome = await redeem({ lines: [{ itemId: 11, quantity: 20, unitPoints: 5 }] });
		expect(outcome).toEqual({ ok: false, problem: 'insufficient_points' });
		expect(await db.redemptions.count()).toBe(1);
		expect(await db.outbox.count()).toBe(1);
		expect(await getMeta(db, 'deviceSeq')).toBe(1);
		expect(await availableBalance(db, 1)).toBe(70);
	});

	it('records a cart without names too, from the items it reads', async () => {
		await kiosk();
		await redeem();
		const outcome = await recordRedemption(db, {
			residentId: 1,
			cardSerial: 1,
			lines: [{ itemId: 11, quantity: 2, unitPoints: 5 }],
			offline: false,
			now: NOW
		});
		expect(outcome).toMatchObject({
			ok: true,
			available: 60,
			redemption: { deviceSeq: 2, lines: [{ name: '物品11' }] }
		});
	});
});

describe('reads prepared when the resident is asked to confirm', () => {
	/** Counts reads of the resident inside redemptions: the prepared path makes none. */
	function countResidentReads() {
		const spy = vi.spyOn(db.residents, 'get');
		return () => spy.mock.calls.length;
	}
	const pull = (changes: Parameters<typeof applyPullPage>[1]['changes'], cursor = 0) =>
		applyPullPage(
			db,
			{ changes, cursor, hasMore: false, serverTime: NOW.toISOString() },
			NOW.toISOString()
		);

	it('records on them, reading nothing but the token, when nothing changed since', async () => {
		await kiosk();
		await prepareRedemption(db, 1, [10], NOW);
		const residentReads = countResidentReads();
		const outcome = await redeem();
		expect(outcome).toMatchObject({ ok: true, available: 70, event: { deviceSeq: 1 } });
		expect(residentReads()).toBe(0);
		expect(await db.outbox.count()).toBe(1);
		expect(await availableBalance(db, 1)).toBe(70);
	});

	it('keeps using them while only sync status is written', async () => {
		await kiosk();
		await prepareRedemption(db, 1, [10], NOW);
		await db.meta.bulkPut([
			{ key: 'lastSyncError', value: '连不上服务器' },
			{ key: 'clockSkewMs', value: 12 }
		]);
		const residentReads = countResidentReads();
		expect(await redeem()).toMatchObject({ ok: true, available: 70 });
		expect(residentReads()).toBe(0);
	});

	it('reads everything again when a pull changed the balance meanwhile', async () => {
		await kiosk();
		await prepareRedemption(db, 1, [10], NOW);
		await pull([{ seq: 3, entity: 'resident', data: resident(1, { balance: 20 }) }], 3);
		const residentReads = countResidentReads();
		expect(await redeem()).toEqual({ ok: false, problem: 'insufficient_points' });
		expect(residentReads()).toBeGreaterThan(0);
		expect(await db.outbox.count()).toBe(0);
	});

	it('trusts a refusal only while nothing changed: a top-up in between lets it through', async () => {
		await kiosk({ residents: [resident(1, { balance: 10 })] });
		await prepareRedemption(db, 1, [10], NOW);
		await pull([{ seq: 4, entity: 'resident', data: resident(1, { balance: 100 }) }], 4);
		expect(await redeem()).toMatchObject({ ok: true, available: 70 });
	});

	it('sees a redemption another tab made in between, and the void of it', async () => {
		await kiosk({ residents: [resident(1, { balance: 60 })] });
		const otherTab = openKioskDb({ name: db.name, indexedDB, IDBKeyRange });
		try {
			await prepareRedemption(db, 1, [10], NOW);
			// The other tab spends 30 of the 60 the prepared reads saw.
			const spent = await redeem({ lines: [{ itemId: 11, quantity: 6, unitPoints: 5 }] }, otherTab);
			expect(spent).toMatchObject({ ok: true });
			const lines = [{ itemId: 10, quantity: 2, unitPoints: 30 }];
			expect(await redeem({ lines })).toEqual({ ok: false, problem: 'insufficient_points' });

			// Voided in shop mode elsewhere: the 30 points are back, and the prepared reads do not
			// know it.
			await prepareRedemption(db, 1, [10], NOW);
			if (!spent.ok) return;
			await otherTab.transaction('rw', [otherTab.meta, otherTab.voids], () =>
				otherTab.voids.add({
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
				})
			);
			expect(await redeem({ lines })).toMatchObject({ ok: true, available: 0 });
		} finally {
			otherTab.close();
		}
	});

	it('does not use them for items it did not read, another resident, or the next day', async () => {
		await kiosk();
		await prepareRedemption(db, 1, [10], NOW);
		expect(await redeem({ lines: [{ itemId: 11, quantity: 1, unitPoints: 5 }] })).toMatchObject({
			ok: true,
			available: 95,
			redemption: { lines: [{ name: '物品11' }] }
		});
		await prepareRedemption(db, 1, [10], NOW);
		expect(await redeem({ residentId: 2 })).toMatchObject({ ok: true, available: 470 });
		await prepareRedemption(db, 1, [10], NOW);
		const nextDay = new Date('2025-06-01T17:00:00Z');
		expect(await redeem({ now: nextDay })).toMatchObject({
			ok: true,
			redemption: { businessDate: '2025-06-02' }
		});
		expect((await db.outbox.toArray()).map((r) => r.deviceSeq).sort()).toEqual([1, 2, 3]);
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
