import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/*
 * Pushes a hostile test run sent (issue 12 §2): each is refused alone, or applied and flagged,
 * and never fails the events beside it.
 */

let temp: TempDatabase;
let demo: DemoSeedSummary;
let kiosk: EnrolledDevice;
let residentId: number;
let goods: { id: number; points: number };

function purchase(occurredAt?: Date) {
	return redemptionEvent(temp.db, kiosk.device, {
		residentId,
		lines: [{ itemId: goods.id, quantity: 1, unitPoints: goods.points }],
		occurredAt
	});
}

async function receivedRow(eventId: string) {
	return temp.db
		.selectFrom('received_events')
		.selectAll()
		.where('id', '=', eventId)
		.executeTakeFirst();
}

beforeAll(async () => {
	temp = await openTempDatabase();
	demo = await seedDemo(temp.db);
	kiosk = await enrollTestDevice(temp.db, demo.communityId);
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
	residentId = [...balances].find(([, balance]) => balance >= 200)![0];
	goods = (await temp.db
		.selectFrom('items')
		.select(['id', 'points'])
		.where('community_id', '=', demo.communityId)
		.where('name', '=', '挂面 1kg')
		.executeTakeFirstOrThrow())!;
});
afterAll(() => temp.dispose());

describe('a hostile push', () => {
	it('rejects a deeply nested event alone and applies the good ones beside it', async () => {
		const before = await residentBalance(temp.db, residentId);
		let nested: unknown = 'bottom';
		for (let level = 0; level < 100_000; level++) nested = [nested];
		const deep = {
			...(await purchase()),
			payload: { ...(await purchase()).payload, note: nested }
		};
		const [first, last] = [await purchase(), await purchase()];

		const response = await applyPushBatch(temp.db, kiosk.device, pushRequest([first, deep, last]));

		expect(response.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
		expect(response.results[1]).toMatchObject({ id: deep.id, reason: 'invalid_event' });
		expect(await residentBalance(temp.db, residentId)).toBe(before - 2 * goods.points);
		const kept = await temp.db
			.selectFrom('rejected_events')
			.select('body')
			.where('event_id', '=', deep.id)
			.executeTakeFirstOrThrow();
		expect(kept.body.length).toBeLessThan(200);
	});

	it('refuses a business date that is not on the calendar', async () => {
		const event = await purchase();
		event.payload.businessDate = '2026-02-31';
		const [result] = (await applyPushBatch(temp.db, kiosk.device, pushRequest([event]))).results;
		expect(result).toMatchObject({ status: 'rejected', reason: 'invalid_event' });
	});

	it('refuses an occurredAt in the year 0 or 9999', async () => {
		const events = await Promise.all(
			['0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.000Z'].map(async (time) => ({
				...(await purchase()),
				occurredAt: time
			}))
		);
		const { results } = await applyPushBatch(temp.db, kiosk.device, pushRequest(events));
		expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
	});

	it('refuses a deviceSeq of 1e300', async () => {
		const event = { ...(await purchase()), deviceSeq: 1e300 };
		const [result] = (await applyPushBatch(temp.db, kiosk.device, pushRequest([event]))).results;
		expect(result).toMatchObject({ status: 'rejected', reason: 'invalid_event' });
	});

	it('refuses a second event with a deviceSeq the device already used, in one batch or later', async () => {
		const first = await purchase();
		const sameBatch = { ...(await purchase()), deviceSeq: first.deviceSeq };
		const response = await applyPushBatch(temp.db, kiosk.device, pushRequest([first, sameBatch]));
		expect(response.results.map((r) => r.status)).toEqual(['applied', 'rejected']);
		expect(response.results[1]).toMatchObject({ reason: 'invalid_event' });
		expect(response.results[1]!.status === 'rejected' && response.results[1]!.message).toContain(
			String(first.deviceSeq)
		);

		const later = { ...(await purchase()), deviceSeq: first.deviceSeq };
		const [again] = (await applyPushBatch(temp.db, kiosk.device, pushRequest([later]))).results;
		expect(again).toMatchObject({ status: 'rejected', reason: 'invalid_event' });
		// The first event is still answered as itself.
		const [replay] = (await applyPushBatch(temp.db, kiosk.device, pushRequest([first]))).results;
		expect(replay).toMatchObject({ status: 'duplicate' });
	});

	it('applies an event from a clock far ahead and keeps a warning for the office', async () => {
		const ahead = await purchase(new Date(Date.now() + 3 * 3600_000));
		const plain = await purchase();
		const { results } = await applyPushBatch(temp.db, kiosk.device, pushRequest([ahead, plain]));
		expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
		expect((await receivedRow(ahead.id))?.warning).toMatch(/设备时间比服务器快 18\d 分钟/);
		expect((await receivedRow(plain.id))?.warning).toBeNull();
		expect((await receivedRow(plain.id))?.device_seq).toBe(plain.deviceSeq);
	});

	it('cannot hold a second ledger entry for one event and resident: the database refuses it', async () => {
		const event = await purchase();
		await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		const entry = await temp.db
			.selectFrom('ledger_entries')
			.selectAll()
			.where('event_id', '=', event.id)
			.executeTakeFirstOrThrow();
		const { id: _id, ...copy } = entry;
		await expect(temp.db.insertInto('ledger_entries').values(copy).execute()).rejects.toThrow(
			/UNIQUE constraint failed: ledger_entries.event_id, ledger_entries.resident_id/
		);
	});
});

describe('pushes at the same moment', () => {
	it('applies the same batch pushed three times at once exactly once, and answers all three', async () => {
		const before = await residentBalance(temp.db, residentId);
		const batch = pushRequest([await purchase(), await purchase()]);
		const answers = await Promise.all([
			applyPushBatch(temp.db, kiosk.device, batch),
			applyPushBatch(temp.db, kiosk.device, batch),
			applyPushBatch(temp.db, kiosk.device, batch)
		]);
		const statuses = answers.map((answer) => answer.results.map((result) => result.status));
		expect(statuses.filter((s) => s.every((status) => status === 'applied'))).toHaveLength(1);
		expect(statuses.filter((s) => s.every((status) => status === 'duplicate'))).toHaveLength(2);
		expect(await residentBalance(temp.db, residentId)).toBe(before - 2 * goods.points);
	});

	it('applies two kiosks overdrawing one resident at once, and flags the one that overdrew', async () => {
		const other = await enrollTestDevice(temp.db, demo.communityId);
		const balance = await residentBalance(temp.db, residentId);
		const spendAll = (device: EnrolledDevice) =>
			redemptionEvent(temp.db, device.device, {
				residentId,
				lines: [{ itemId: goods.id, quantity: 1, unitPoints: balance }],
				offline: true
			});
		const [first, second] = await Promise.all([
			applyPushBatch(temp.db, kiosk.device, pushRequest([await spendAll(kiosk)])),
			applyPushBatch(temp.db, other.device, pushRequest([await spendAll(other)]))
		]);
		const results = [first.results[0]!, second.results[0]!];
		expect(results.map((result) => result.status)).toEqual(['applied', 'applied']);
		// The goods left both counters: both stand, the second overdrew and is flagged.
		expect(results.filter((result) => 'flagged' in result && result.flagged)).toHaveLength(1);
		expect(await residentBalance(temp.db, residentId)).toBe(-balance);
		const flags = await temp.db
			.selectFrom('review_flags')
			.select('kind')
			.where('resident_id', '=', residentId)
			.where('kind', '=', 'overdrawn')
			.execute();
		expect(flags).toHaveLength(1);
	});
});
