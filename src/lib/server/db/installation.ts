import type { Kysely } from 'kysely';
import type { Database } from './schema';

/*
 * Facts about a database as a whole, in the `installation` table (migration 0009_security).
 * A demo database carries `mode = 'demo'`: its passwords (demo1234), staff PINs and card sheet
 * are printed for anyone to read, so a real start must never serve it.
 */

export async function isDemoDatabase(db: Kysely<Database>): Promise<boolean> {
	const row = await db
		.selectFrom('installation')
		.select('value')
		.where('key', '=', 'mode')
		.executeTakeFirst();
	return row?.value === 'demo';
}

/** Marks the database as a demo (the demo seed does, in its own transaction). */
export async function markDemoDatabase(db: Kysely<Database>): Promise<void> {
	await db
		.insertInto('installation')
		.values({ key: 'mode', value: 'demo' })
		.onConflict((oc) => oc.column('key').doUpdateSet({ value: 'demo' }))
		.execute();
}
