import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseFile, openDatabase } from './connection';
import { isDemoDatabase } from './installation';
import { MIGRATIONS, migrateToLatest } from './migrations';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database migrated up to the office foundation, with communities of the given codes. */
async function databaseBeforeSecurity(slugs: string[]) {
	const dir = mkdtempSync(join(tmpdir(), 'credit-shop-migration-'));
	dirs.push(dir);
	const db = openDatabase(databaseFile(dir));
	const migrator = new Migrator({
		db,
		provider: { getMigrations: () => Promise.resolve(MIGRATIONS) }
	});
	expect((await migrator.migrateTo('0004_office')).error).toBeUndefined();
	for (const slug of slugs) {
		await db
			.insertInto('communities')
			.values({
				slug,
				name: slug,
				public_key: 'k',
				private_key: 'p',
				offline_daily_limit: 50,
				offline_max_age_hours: 72,
				created_at: new Date().toISOString()
			} as never)
			.execute();
	}
	return db;
}

describe('migration 0009_security', () => {
	it('marks a demo database made before the marker existed', async () => {
		const db = await databaseBeforeSecurity(['xingfuli', 'hepingli']);
		await migrateToLatest(db);
		expect(await isDemoDatabase(db)).toBe(true);
		await db.destroy();
	});

	it('leaves a real database unmarked, even one using the demo community code', async () => {
		const db = await databaseBeforeSecurity(['xingfuli']);
		await migrateToLatest(db);
		expect(await isDemoDatabase(db)).toBe(false);
		const secret = await db
			.selectFrom('installation')
			.select('value')
			.where('key', '=', 'attempt_key_secret')
			.executeTakeFirstOrThrow();
		expect(secret.value).toMatch(/^[0-9a-f]{64}$/);
		await db.destroy();
	});
});
