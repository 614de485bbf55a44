import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/*
 * Failed-attempt counting for login and enrollment, kept in the database rather than in process
 * memory: it survives restarts and needs no module state.
 */

export interface AttemptLimit {
	maxFailures: number;
	windowMs: number;
}

export async function isLockedOut(
	db: Kysely<Database>,
	key: string,
	limit: AttemptLimit,
	now: Date
): Promise<boolean> {
	const since = new Date(now.getTime() - limit.windowMs).toISOString();
	const row = await db
		.selectFrom('auth_attempts')
		.select(({ fn }) => fn.countAll<number>().as('failures'))
		.where('key', '=', key)
		.where('attempted_at', '>', since)
		.executeTakeFirst();
	return Number(row?.failures ?? 0) >= limit.maxFailures;
}

export async function recordFailedAttempt(
	db: Kysely<Database>,
	key: string,
	now: Date
): Promise<void> {
	await db.insertInto('auth_attempts').values({ key, attempted_at: now.toISOString() }).execute();
	// Old rows are useless once outside any window; a day is longer than every window we use.
	const dayAgo = new Date(now.getTime() - 24 * 3600_000).toISOString();
	await db.deleteFrom('auth_attempts').where('attempted_at', '<', dayAgo).execute();
}

export async function clearFailedAttempts(db: Kysely<Database>, key: string): Promise<void> {
	await db.deleteFrom('auth_attempts').where('key', '=', key).execute();
}
