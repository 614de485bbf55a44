import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseFile, openDatabase } from './connection';
import { MIGRATIONS, migrateToLatest } from './migrations';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database at 0010_feed holding one community, resident, entry, account and two flags. */
async function databaseBeforeFlags() {
	const dir = mkdtempSync(join(tmpdir(), 'credit-shop-migration-'));
	dirs.push(dir);
	const db = openDatabase(databaseFile(dir));
	const migrator = new Migrator({
		db,
		provider: { getMigrations: () => Promise.resolve(MIGRATIONS) }
	});
	expect((await migrator.migrateTo('0010_feed')).error).toBeUndefined();
	// Literal SQL: the rows as the schema before 0011 had them.
	const now = '2026-12-01T08:00:00.000Z';
	await sql`insert into communities (id, slug, name, public_key, private_key, offline_daily_limit,
		offline_max_age_hours, created_at) values (1, 'a', '甲', 'k', 'p', 50, 72, ${now})`.execute(db);
	await sql`insert into households (id, community_id, building, label)
		values (1, 1, '1栋', '1栋101')`.execute(db);
	await sql`insert into residents (id, community_id, household_id, name, created_at)
		values (1, 1, 1, '王秀英', ${now})`.execute(db);
	await sql`insert into office_accounts (id, community_id, username, display_name, password_hash,
		role, created_at) values (1, 1, 'admin', '管理员', 'x', 'admin', ${now})`.execute(db);
	await sql`insert into ledger_entries (id, community_id, resident_id, points, reason, actor_kind,
		actor_id, occurred_at, recorded_at)
		values (1, 1, 1, -30, 'redemption', 'device', 'd', ${now}, ${now})`.execute(db);
	await sql`insert into review_flags (id, community_id, kind, resident_id, ledger_entry_id,
		event_id, details, created_at, resolved_at, resolved_by_account_id) values
		(7, 1, 'overdrawn', 1, 1, 'e1', '{"balanceAfter":-5}', ${now}, null, null),
		(8, 1, 'revoked_card', 1, 1, 'e1', '{}', ${now}, ${now}, 1)`.execute(db);
	return db;
}

describe('migration 0011_flags', () => {
	it('keeps every existing flag with its id, kind, details and resolution', async () => {
		const db = await databaseBeforeFlags();
		await migrateToLatest(db);
		const flags = await db.selectFrom('review_flags').selectAll().orderBy('id').execute();
		expect(flags).toEqual([
			expect.objectContaining({
				id: 7,
				kind: 'overdrawn',
				details: '{"balanceAfter":-5}',
				resolved_at: null,
				resolution_note: null
			}),
			expect.objectContaining({
				id: 8,
				kind: 'revoked_card',
				resolved_at: '2026-12-01T08:00:00.000Z',
				resolved_by_account_id: 1,
				resolution_note: null
			})
		]);
		await db.destroy();
	});

	it('allows a moved_out flag and still refuses a kind nobody defined', async () => {
		const db = await databaseBeforeFlags();
		await migrateToLatest(db);
		const flag = {
			community_id: 1,
			resident_id: 1,
			ledger_entry_id: 1,
			event_id: 'e2',
			details: '{}',
			created_at: new Date().toISOString()
		};
		const inserted = await db
			.insertInto('review_flags')
			.values({ ...flag, kind: 'moved_out' })
			.returning('id')
			.executeTakeFirstOrThrow();
		// After the highest kept id: a new flag never takes an old flag's id.
		expect(inserted.id).toBe(9);
		await expect(
			db
				.insertInto('review_flags')
				.values({ ...flag, kind: 'lost' as never })
				.execute()
		).rejects.toThrow(/CHECK/);
		await db.destroy();
	});
});
