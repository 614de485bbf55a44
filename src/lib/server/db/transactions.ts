import type { Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * Runs `write` in a transaction: the caller's, when `db` already is one (the demo seed builds a
 * whole community in one transaction through the office's own functions), else a new one.
 */
export function inTransaction<T>(
	db: Kysely<Database>,
	write: (trx: Kysely<Database>) => Promise<T>
): Promise<T> {
	return db.isTransaction ? write(db) : db.transaction().execute(write);
}
