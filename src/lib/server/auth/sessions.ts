import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, OfficeAccountRow } from '../db/schema';
import { isStorageFull } from '../db/connection';
import { hashToken } from '../devices/tokens';

export const SESSION_COOKIE = 'cs_office_session';
export const SESSION_LIFETIME_MS = 12 * 3600_000;

export type OfficeSession = Pick<
	OfficeAccountRow,
	'id' | 'community_id' | 'username' | 'display_name' | 'role'
> & { communityName: string; communityTimeZone: string };

/** Starts a session; the cookie value is returned once, the database keeps its sha256. */
export async function createSession(
	db: Kysely<Database>,
	accountId: number,
	now: Date = new Date()
): Promise<{ token: string; expiresAt: Date }> {
	const token = randomBytes(32).toString('base64url');
	const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
	await db
		.insertInto('sessions')
		.values({
			id: hashToken(token),
			account_id: accountId,
			created_at: now.toISOString(),
			expires_at: expiresAt.toISOString()
		})
		.execute();
	// Housekeeping: a full disk must not fail the login for it (the row above was written).
	await db
		.deleteFrom('sessions')
		.where('expires_at', '<', now.toISOString())
		.execute()
		.catch((error: unknown) => {
			if (!isStorageFull(error)) throw error;
		});
	return { token, expiresAt };
}

/** The active account behind a session cookie, or null. */
export async function sessionAccount(
	db: Kysely<Database>,
	token: string | undefined,
	now: Date = new Date()
): Promise<OfficeSession | null> {
	if (!token) return null;
	const row = await db
		.selectFrom('sessions')
		.innerJoin('office_accounts', 'office_accounts.id', 'sessions.account_id')
		.innerJoin('communities', 'communities.id', 'office_accounts.community_id')
		.select([
			'office_accounts.id',
			'office_accounts.community_id',
			'office_accounts.username',
			'office_accounts.display_name',
			'office_accounts.role',
			'communities.name as communityName',
			'communities.time_zone as communityTimeZone'
		])
		.where('sessions.id', '=', hashToken(token))
		.where('sessions.expires_at', '>', now.toISOString())
		.where('office_accounts.active', '=', 1)
		.executeTakeFirst();
	return row ?? null;
}

export async function endSession(db: Kysely<Database>, token: string | undefined): Promise<void> {
	if (token) await db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute();
}
