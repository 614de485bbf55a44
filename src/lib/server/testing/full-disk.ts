import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

/**
 * Runs `during` while the database may not grow by a single page, as on a full disk (SQLite
 * answers SQLITE_FULL), and gives the room back afterwards whatever happened.
 */
export async function withFullDisk<T>(db: Kysely<Database>, during: () => Promise<T>): Promise<T> {
	const { rows } = await sql<{ page_count: number }>`PRAGMA page_count`.execute(db);
	await sql.raw(`PRAGMA max_page_count = ${Number(rows[0]!.page_count)}`).execute(db);
	try {
		return await during();
	} finally {
		await sql.raw('PRAGMA max_page_count = 4294967294').execute(db);
	}
}
