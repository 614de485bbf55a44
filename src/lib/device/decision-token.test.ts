import { afterEach, describe, expect, it } from 'vitest';
import { DECISION_TOKEN_KEY } from './decision-token';
import type { KioskDb } from './local-db';
import { freshDb, item, resident } from './testing/kiosk-fixtures';

let db: KioskDb;
afterEach(() => db?.close());

async function token() {
	return (await db.meta.get(DECISION_TOKEN_KEY))?.value;
}

/** Runs `write` in a transaction with meta in scope; says whether the token changed. */
async function changesToken(write: () => Promise<unknown>): Promise<boolean> {
	const before = await token();
	await db.transaction('rw', db.tables, write);
	return (await token()) !== before;
}

describe('the decision token', () => {
	it('changes with every write a redemption decides on', async () => {
		db = freshDb();
		expect(await changesToken(() => db.residents.put(resident(1)))).toBe(true);
		expect(await changesToken(() => db.items.bulkPut([item(1), item(2)]))).toBe(true);
		expect(await changesToken(() => db.items.update(1, { stock: 3 }))).toBe(true);
		expect(await changesToken(() => db.items.delete(2))).toBe(true);
		expect(await changesToken(() => db.residents.clear())).toBe(true);
		expect(
			await changesToken(() => db.redemptions.where('status').equals('pending').delete())
		).toBe(true);
		expect(await changesToken(() => db.meta.put({ key: 'cursor', value: 9 }))).toBe(true);
		expect(await changesToken(() => db.meta.put({ key: 'deviceSeq', value: 4 }))).toBe(true);
		expect(await changesToken(() => db.meta.delete('lastPullAt'))).toBe(true);
		expect(
			await changesToken(() =>
				db.meta.bulkPut([
					{ key: 'lastSyncError', value: null },
					{ key: 'lastClosedDate', value: '2025-06-01' }
				])
			)
		).toBe(true);
	});

	it('stays while only sync status, the outbox or staff are written', async () => {
		db = freshDb();
		await db.transaction('rw', db.tables, () => db.residents.put(resident(1)));
		expect(
			await changesToken(() =>
				db.meta.bulkPut([
					{ key: 'lastSyncError', value: '连不上服务器' },
					{ key: 'lastSuccessAt', value: '2025-06-01T02:00:00Z' },
					{ key: 'lastPushAt', value: '2025-06-01T02:00:00Z' },
					{ key: 'clockSkewMs', value: 40 }
				])
			)
		).toBe(false);
		expect(await changesToken(() => db.outbox.clear())).toBe(false);
		expect(await changesToken(() => db.attention.clear())).toBe(false);
		expect(await changesToken(() => db.staff.clear())).toBe(false);
	});

	it('fails a write that would leave it behind: those tables are written with meta only', async () => {
		db = freshDb();
		await expect(db.residents.put(resident(1))).rejects.toThrow();
		await expect(db.transaction('rw', [db.items], () => db.items.put(item(1)))).rejects.toThrow();
		expect(await db.residents.count()).toBe(0);
		expect(await db.items.count()).toBe(0);
		expect(await token()).toBeUndefined();
	});
});
