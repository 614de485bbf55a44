import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseFile, openDatabase } from './connection';
import { MIGRATIONS, migrateToLatest } from './migrations';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migration 0002_shop', () => {
	it('keeps the change feed and its sequence, so no kiosk cursor ever points past a new change', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'credit-shop-migration-'));
		dirs.push(dir);
		const db = openDatabase(databaseFile(dir));
		const migrator = new Migrator({
			db,
			provider: { getMigrations: () => Promise.resolve(MIGRATIONS) }
		});
		expect((await migrator.migrateTo('0001_initial')).error).toBeUndefined();
		const now = new Date().toISOString();
		await db
			.insertInto('communities')
			.values({
				slug: 'a',
				name: '甲',
				public_key: 'k',
				private_key: 'p',
				offline_daily_limit: 50,
				offline_max_age_hours: 72,
				created_at: now
			} as never)
			.execute();
		const change = (entityId: number) => ({
			community_id: 1,
			entity: 'resident' as const,
			entity_id: entityId,
			data: '{}',
			recorded_at: now
		});
		await db
			.insertInto('changes')
			.values([
				{ ...change(1), entity: 'community', data: '{"id":1}' },
				change(1),
				change(2),
				change(3)
			])
			.execute();
		// The newest rows were superseded and deleted: seq 4 was handed out and a kiosk may hold it.
		await db.deleteFrom('changes').where('seq', '>=', 3).execute();

		await migrateToLatest(db);

		const rows = await db.selectFrom('changes').select(['seq', 'entity', 'data']).execute();
		expect(rows.map((r) => r.seq).sort()).toEqual([2, 5]);
		// The community row came back under a new seq, with the count-difference limit.
		expect(rows.find((r) => r.entity === 'community')).toMatchObject({ seq: 5 });
		expect(JSON.parse(rows.find((r) => r.entity === 'community')!.data)).toEqual({
			id: 1,
			countDifferenceLimit: 5
		});
		const added = await db
			.insertInto('changes')
			.values({ ...change(9), entity: 'staff' })
			.returning('seq')
			.executeTakeFirstOrThrow();
		expect(added.seq).toBe(6);
		await db.destroy();
	});
});
