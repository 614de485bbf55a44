import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushResult } from '$lib/protocol/sync';
import { residentBalance, residentBalances } from '../ledger/balances';
import { seedDemo, type DemoSeedSummary } from '../seed/demo';
import {
	enrollTestDevice,
	pushRequest,
	redemptionEvent,
	type EnrolledDevice
} from '../testing/fixtures';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { applyPushBatch } from './push';
import { readChangePage } from './pull';

let temp: TempDatabase;
let demo: DemoSeedSummary;
let kiosk: EnrolledDevice;
let otherKiosk: EnrolledDevice;
/** Residents with at least 60 points, handed out one per test so tests stay independent. */
let richResidents: number[];
let goods: { id: number; points: number };
let service: { id: number; points: number };

function takeRichResident(): number {
	const id = richResidents.shift();
	if (id === undefined) throw new Error('ran out of residents with points');
	return id;
}

async function ledgerRowsFor(eventId: string) {
	return temp.db.selectFrom('ledger_entries').selectAll().where('event_id', '=', eventId).execute();
}

async function stockOf(itemId: number): Promise<number> {
	const rows = await temp.db
		.selectFrom('stock_movements')
		.select('quantity')
		.where('item_id', '=', itemId)
		.execute();
	return rows.reduce((sum, row) => sum + row.quantity, 0);
}

beforeAll(async () => {
	temp = await openTempDatabase();
	demo = await seedDemo(temp.db);
	kiosk = await enrollTestDevice(temp.db, demo.communityId);
	otherKiosk = await enrollTestDevice(temp.db, demo.communityId);
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
	const items = await temp.db
		.selectFrom('items')
		.select(['id', 'points', 'stock_tracked', 'name'])
		.where('community_id', '=', demo.communityId)
		.execute();
	goods = items.find((item) => item.name === '挂面 1kg')!;
	service = items.find((item) => item.stock_tracked === 0)!;
});
afterAll(() => temp.dispose());

describe('applyPushBatch', () => {
	it('applies a redemption: one ledger entry, one stock movement per goods line, a feed change', async () => {
		const residentId = takeRichResident();
		const before = await residentBalance(temp.db, residentId);
		const stockBefore = await stockOf(goods.id);
		const event = await redemptionEvent(temp.db, kiosk.device, {
			residentId,
			lines: [
				{ itemId: goods.id, quantity: 2, unitPoints: goods.points },
				{ itemId: service.id, quantity: 1, unitPoints: service.points }
			]
		});
		const total = 2 * goods.points + service.points;

		const response = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));

		expect(response.results).toEqual([
			{ id: event.id, status: 'applied', seq: expect.any(Number) }
		]);
		const entries = await ledgerRowsFor(event.id);
		expect(entries).toHaveLength(1);
		expect(entries[0]).toMatchObject({
			points: -total,
			reason: 'redemption',
			actor_kind: 'device',
			actor_id: kiosk.device.id,
			occurred_at: event.occurredAt
		});
		expect(await residentBalance(temp.db, residentId)).toBe(before - total);
		expect(await stockOf(goods.id)).toBe(stockBefore - 2);
		const movements = await temp.db
			.selectFrom('stock_movements')
			.selectAll()
			.where('event_id', '=', event.id)
			.execute();
		expect(movements.map((m) => [m.item_id, m.kind, m.quantity])).toEqual([
			[goods.id, 'redeemed', -2]
		]);

		const seq = (response.results[0] as { seq: number }).seq;
		const page = await readChangePage(temp.db, demo.communityId, seq - 10, 100);
		const residentChange = page.changes.find(
			(c) => c.entity === 'resident' && c.data.id === residentId
		);
		expect(residentChange?.data).toMatchObject({ balance: before - total });
		expect(Math.max(...page.changes.map((c) => c.seq))).toBe(seq);
	});

	it('applies a pushed event once when the same batch arrives twice', async () => {
		const residentId = takeRichResident();
		const events = await Promise.all(
			[1, 2, 3].map(() =>
				redemptionEvent(temp.db, kiosk.device, {
					residentId,
					lines: [{ itemId: service.id, quantity: 1, unitPoints: service.points }]
				})
			)
		);
		const first = await applyPushBatch(temp.db, kiosk.device, pushRequest(events));
		const balanceAfterFirst = await residentBalance(temp.db, residentId);

		const second = await applyPushBatch(temp.db, kiosk.device, pushRequest(events));

		expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
		expect(second.results).toEqual(
			first.results.map((r) => ({ ...r, status: 'duplicate' }) as PushResult)
		);
		for (const event of events) expect(await ledgerRowsFor(event.id)).toHaveLength(1);
		expect(await residentBalance(temp.db, residentId)).toBe(balanceAfterFirst);
	});

	it('answers an id repeated inside one batch as a duplicate of its first occurrence', async () => {
		const event = await redemptionEvent(temp.db, kiosk.device, {
			residentId: takeRichResident(),
			lines: [{ itemId: service.id, quantity: 1, unitPoints: service.points }]
		});
		const response = await applyPushBatch(temp.db, kiosk.device, pushRequest([event, event]));
		expect(response.results[0]).toMatchObject({ status: 'applied' });
		expect(response.results[1]).toEqual({ ...response.results[0], status: 'duplicate' });
		expect(await ledgerRowsFor(event.id)).toHaveLength(1);
	});

	it('applies the good events of a batch and rejects the bad one with a reason', async () => {
		const residentId = takeRichResident();
		const good = () =>
			redemptionEvent(temp.db, kiosk.device, {
				residentId,
				lines: [{ itemId: service.id, quantity: 1, unitPoints: service.points }]
			});
		const bad = { ...(await good()), payload: { ...(await good()).payload, lines: [] } };
		const events = [await good(), bad, await good(), { not: 'an event' }, await good()];

		const response = await applyPushBatch(temp.db, kiosk.device, pushRequest(events));

		expect(response.results.map((r) => r.status)).toEqual([
			'applied',
			'rejected',
			'applied',
			'rejected',
			'applied'
		]);
		expect(response.results[1]).toMatchObject({ id: bad.id, reason: 'invalid_event' });
		expect(response.results[3]).toMatchObject({ id: '', reason: 'invalid_event' });
		expect((response.results[1] as { message: string }).message).toMatch(/事件格式不正确/);
		const kept = await temp.db
			.selectFrom('received_events')
			.select(['status', 'body'])
			.where('id', '=', bad.id)
			.executeTakeFirstOrThrow();
		expect(kept.status).toBe('rejected');
		expect(JSON.parse(kept.body)).toEqual(bad);
		const refused = await temp.db
			.selectFrom('rejected_events')
			.select('body')
			.where('device_id', '=', kiosk.device.id)
			.execute();
		expect(refused.map((r) => JSON.parse(r.body))).toContainEqual({ not: 'an event' });
	});

	it('rolls back only the event whose row the database refuses, and applies the rest', async () => {
		const residentId = takeRichResident();
		const before = await residentBalance(temp.db, residentId);
		const stockBefore = await stockOf(goods.id);
		const event = () =>
			redemptionEvent(temp.db, kiosk.device, {
				residentId,
				lines: [{ itemId: goods.id, quantity: 1, unitPoints: goods.points }]
			});
		const events = [await event(), await event(), await event()];
		const refusedId = events[1]!.id;
		// Passes every check, but the database aborts its ledger row: its savepoint rolls back.
		await sql
			.raw(
				`create trigger test_refuse_entry before insert on ledger_entries when new.event_id = '${refusedId}' begin select raise(abort, 'refused for the test'); end`
			)
			.execute(temp.db);
		let response;
		try {
			response = await applyPushBatch(temp.db, kiosk.device, pushRequest(events));
		} finally {
			await sql.raw('drop trigger test_refuse_entry').execute(temp.db);
		}

		expect(response.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
		expect(response.results[1]).toMatchObject({ id: refusedId, reason: 'invalid_event' });
		expect(await ledgerRowsFor(refusedId)).toHaveLength(0);
		for (const applied of [events[0]!, events[2]!]) {
			expect(await ledgerRowsFor(applied.id)).toHaveLength(1);
		}
		expect(await residentBalance(temp.db, residentId)).toBe(before - 2 * goods.points);
		expect(await stockOf(goods.id)).toBe(stockBefore - 2);
		const kept = await temp.db
			.selectFrom('rejected_events')
			.select('body')
			.where('event_id', '=', refusedId)
			.executeTakeFirstOrThrow();
		expect(JSON.parse(kept.body)).toEqual(events[1]);

		// The device retries the refused event later: it is answered from what was kept, and
		// the applied ones stay applied once.
		const again = await applyPushBatch(temp.db, kiosk.device, pushRequest(events));
		expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'applied', 'duplicate']);
		expect(await residentBalance(temp.db, residentId)).toBe(before - 3 * goods.points);
	});

	it('answers a replayed rejected event with the same rejection', async () => {
		const event = await redemptionEvent(temp.db, kiosk.device, {
			residentId: takeRichResident(),
			lines: [{ itemId: 999_999, quantity: 1, unitPoints: 5 }]
		});
		const first = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		const second = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		expect(first.results[0]).toMatchObject({ status: 'rejected', reason: 'unknown_item' });
		expect(second.results).toEqual(first.results);
	});

	it('rejects an event id replayed by another device and keeps it for review', async () => {
		const event = await redemptionEvent(temp.db, kiosk.device, {
			residentId: takeRichResident(),
			lines: [{ itemId: service.id, quantity: 1, unitPoints: service.points }]
		});
		await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		const replay = { ...event, deviceId: otherKiosk.device.id };

		const response = await applyPushBatch(temp.db, otherKiosk.device, pushRequest([replay]));

		expect(response.results[0]).toMatchObject({
			id: event.id,
			status: 'rejected',
			reason: 'id_conflict'
		});
		expect(await ledgerRowsFor(event.id)).toHaveLength(1);
		const kept = await temp.db
			.selectFrom('rejected_events')
			.selectAll()
			.where('event_id', '=', event.id)
			.execute();
		expect(kept).toMatchObject([{ reason: 'id_conflict', device_id: otherKiosk.device.id }]);
	});

	it('rejects an event that names another device', async () => {
		const event = await redemptionEvent(temp.db, otherKiosk.device, {
			residentId: takeRichResident(),
			lines: [{ itemId: service.id, quantity: 1, unitPoints: service.points }]
		});
		const response = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		expect(response.results[0]).toMatchObject({ status: 'rejected', reason: 'wrong_device' });
		expect(await ledgerRowsFor(event.id)).toHaveLength(0);
		// The id stays free for the device that really made it.
		const own = await applyPushBatch(temp.db, otherKiosk.device, pushRequest([event]));
		expect(own.results[0]).toMatchObject({ status: 'applied' });
	});

	it('applies an overdrawn offline redemption and flags it for the office', async () => {
		const residentId = takeRichResident();
		const balance = await residentBalance(temp.db, residentId);
		const event = await redemptionEvent(temp.db, kiosk.device, {
			residentId,
			offline: true,
			lines: [{ itemId: service.id, quantity: 1, unitPoints: balance + 7 }]
		});

		const response = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));

		expect(response.results[0]).toMatchObject({ status: 'applied', flagged: true });
		expect(await residentBalance(temp.db, residentId)).toBe(-7);
		const flags = await temp.db
			.selectFrom('review_flags')
			.selectAll()
			.where('event_id', '=', event.id)
			.execute();
		expect(flags).toMatchObject([{ kind: 'overdrawn', resident_id: residentId }]);
		expect(JSON.parse(flags[0]!.details)).toMatchObject({
			balanceBefore: balance,
			balanceAfter: -7
		});
	});

	it('applies an offline redemption made with a revoked card and flags it', async () => {
		const event = await redemptionEvent(temp.db, kiosk.device, {
			residentId: demo.reissuedCardResidentId,
			cardSerial: 1,
			offline: true,
			lines: [{ itemId: service.id, quantity: 1, unitPoints: 0 }]
		});
		const response = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		expect(response.results[0]).toMatchObject({ status: 'applied', flagged: true });
		const flags = await temp.db
			.selectFrom('review_flags')
			.select('kind')
			.where('event_id', '=', event.id)
			.execute();
		expect(flags).toEqual([{ kind: 'revoked_card' }]);
	});

	it.each([
		['a resident of another community', 'unknown_resident'],
		['a resident that does not exist', 'unknown_resident'],
		['a card serial the resident never had', 'unknown_card'],
		['an item of no community', 'unknown_item'],
		['a total that is not the sum of the lines', 'bad_total']
	] as const)('rejects %s as %s', async (problem, reason) => {
		const foreignResident = await temp.db
			.selectFrom('residents')
			.select('id')
			.where('community_id', '=', demo.foreignCommunityId)
			.executeTakeFirstOrThrow();
		const base = {
			residentId: richResidents[0]!,
			lines: [{ itemId: goods.id, quantity: 1, unitPoints: goods.points }]
		};
		const payloads = {
			'a resident of another community': { ...base, residentId: foreignResident.id },
			'a resident that does not exist': { ...base, residentId: 987_654 },
			'a card serial the resident never had': { ...base, cardSerial: 9 },
			'an item of no community': {
				...base,
				lines: [{ itemId: 424_242, quantity: 1, unitPoints: 5 }]
			},
			'a total that is not the sum of the lines': { ...base, totalPoints: goods.points + 1 }
		};
		const event = await redemptionEvent(temp.db, kiosk.device, payloads[problem]);
		const response = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		expect(response.results[0]).toMatchObject({ id: event.id, status: 'rejected', reason });
		expect(await ledgerRowsFor(event.id)).toHaveLength(0);
	});

	it('rejects an unknown event type as unknown_type', async () => {
		const event = {
			...(await redemptionEvent(temp.db, kiosk.device, { residentId: 1, lines: [] })),
			type: 'teleport'
		};
		const response = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		expect(response.results[0]).toMatchObject({ status: 'rejected', reason: 'unknown_type' });
	});

	it('reports how far the device clock is from the server clock', async () => {
		const now = new Date('2025-03-01T10:00:00Z');
		const sentAt = new Date('2025-03-01T10:07:00Z');
		const event = await redemptionEvent(temp.db, kiosk.device, {
			residentId: takeRichResident(),
			lines: [{ itemId: service.id, quantity: 1, unitPoints: 1 }]
		});
		const response = await applyPushBatch(temp.db, kiosk.device, pushRequest([event], sentAt), now);
		expect(response.clockSkewMs).toBe(7 * 60_000);
		expect(response.serverTime).toBe(now.toISOString());
		const entry = (await ledgerRowsFor(event.id))[0]!;
		expect(entry.occurred_at).toBe(event.occurredAt);
		expect(entry.recorded_at).toBe(now.toISOString());
	});

	it('keeps every balance equal to its ledger sum, and the feed in step, after random pushes', async () => {
		const residents = richResidents.splice(0, 8);
		expect(residents).toHaveLength(8);
		let seed = 42;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const devices = [kiosk, otherKiosk];
		const pushed: Array<{
			device: EnrolledDevice;
			event: Awaited<ReturnType<typeof redemptionEvent>>;
		}> = [];
		for (let batch = 0; batch < 8; batch++) {
			const device = devices[batch % 2]!;
			const events = [];
			for (let i = 0; i < 25; i++) {
				events.push(
					await redemptionEvent(temp.db, device.device, {
						residentId: residents[Math.floor(random() * residents.length)]!,
						offline: random() < 0.5,
						lines: [
							{
								itemId: goods.id,
								quantity: 1 + Math.floor(random() * 2),
								unitPoints: goods.points
							},
							{ itemId: service.id, quantity: 1, unitPoints: Math.floor(random() * 30) }
						]
					})
				);
			}
			// Resend part of an earlier batch, as a device does after a lost answer.
			const resend = pushed
				.filter((p) => p.device === device)
				.slice(-5)
				.map((p) => p.event);
			await applyPushBatch(temp.db, device.device, pushRequest([...resend, ...events]));
			pushed.push(...events.map((event) => ({ device, event })));
		}

		const entries = await temp.db
			.selectFrom('ledger_entries')
			.select(['resident_id', 'points', 'event_id'])
			.where('resident_id', 'in', residents)
			.execute();
		const pushedIds = new Set(pushed.map((p) => p.event.id));
		expect(entries.filter((e) => e.event_id && pushedIds.has(e.event_id))).toHaveLength(
			pushed.length
		);

		let cursor = 0;
		const feedBalances = new Map<number, number>();
		for (;;) {
			const page = await readChangePage(temp.db, demo.communityId, cursor, 50);
			for (const change of page.changes) {
				if (change.entity === 'resident') feedBalances.set(change.data.id, change.data.balance);
			}
			cursor = page.cursor;
			if (!page.hasMore) break;
		}
		for (const residentId of residents) {
			const ledgerSum = entries
				.filter((e) => e.resident_id === residentId)
				.reduce((sum, e) => sum + e.points, 0);
			expect(await residentBalance(temp.db, residentId)).toBe(ledgerSum);
			expect(feedBalances.get(residentId)).toBe(ledgerSum);
		}
	});
});
