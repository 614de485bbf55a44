import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { immediateTransaction, isStorageFull } from '../db/connection';
import type { Database } from '../db/schema';

/*
 * Failed-attempt counting for login and enrollment, kept in the database rather than in process
 * memory: it survives restarts and needs no module state.
 *
 * Login counts an attempt *before* the password is checked (claimAttempt), in one transaction
 * with the check: twenty wrong passwords sent at once are twenty claims, of which only the first
 * few get checked. A success takes back its own claim only; it does not wipe the failures around
 * it, which expire with their window.
 */

export interface AttemptLimit {
	maxFailures: number;
	windowMs: number;
}

export interface LimitedKey {
	key: string;
	limit: AttemptLimit;
}

function windowStart(limit: AttemptLimit, now: Date): string {
	return new Date(now.getTime() - limit.windowMs).toISOString();
}

export async function isLockedOut(
	db: Kysely<Database>,
	key: string,
	limit: AttemptLimit,
	now: Date
): Promise<boolean> {
	const row = await db
		.selectFrom('auth_attempts')
		.select(({ fn }) => fn.countAll<number>().as('failures'))
		.where('key', '=', key)
		.where('attempted_at', '>', windowStart(limit, now))
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

export type AttemptClaim =
	/** Counted against every key; `claimIds` are taken back if the attempt succeeds. */
	| { ok: true; claimIds: number[] }
	/** The first key at its limit: nothing was counted. */
	| { ok: false; lockedKey: string };

/**
 * Checks every key against its limit and, if none is reached, counts the attempt against all of
 * them, atomically. When the disk is full the attempt is checked but cannot be counted: a full
 * disk must not lock the office out of the server it needs to repair.
 */
export async function claimAttempt(
	db: Kysely<Database>,
	keys: readonly LimitedKey[],
	now: Date
): Promise<AttemptClaim> {
	const check = async (trx: Kysely<Database>) => {
		for (const { key, limit } of keys) {
			if (await isLockedOut(trx, key, limit, now)) return key;
		}
		return null;
	};
	try {
		return await immediateTransaction(db, async (trx) => {
			const lockedKey = await check(trx);
			if (lockedKey) return { ok: false, lockedKey };
			const rows = await trx
				.insertInto('auth_attempts')
				.values(keys.map(({ key }) => ({ key, attempted_at: now.toISOString() })))
				.returning('id')
				.execute();
			const dayAgo = new Date(now.getTime() - 24 * 3600_000).toISOString();
			await trx.deleteFrom('auth_attempts').where('attempted_at', '<', dayAgo).execute();
			return { ok: true, claimIds: rows.map((row) => row.id) };
		});
	} catch (error) {
		if (!isStorageFull(error)) throw error;
		const lockedKey = await check(db);
		return lockedKey ? { ok: false, lockedKey } : { ok: true, claimIds: [] };
	}
}

/** Takes back an attempt's claims: it succeeded, or it was never tried (the server was busy). */
export async function releaseAttempt(db: Kysely<Database>, claimIds: readonly number[]) {
	if (claimIds.length === 0) return;
	try {
		await db
			.deleteFrom('auth_attempts')
			.where('id', 'in', [...claimIds])
			.execute();
	} catch (error) {
		// A claim left behind only counts against its window; never fail a login for it.
		if (!isStorageFull(error)) throw error;
	}
}

/**
 * A key for one password across every username, without keeping the password: an HMAC with this
 * installation's own secret (made by migration 0009_security, kept in the database), so the
 * table cannot be used to test guesses offline.
 */
export async function passwordAttemptKey(db: Kysely<Database>, password: string): Promise<string> {
	const { value: secret } = await db
		.selectFrom('installation')
		.select('value')
		.where('key', '=', 'attempt_key_secret')
		.executeTakeFirstOrThrow();
	const digest = createHmac('sha256', secret)
		.update(password.normalize('NFKC'))
		.digest('base64url');
	return `password:${digest}`;
}
