import type { Kysely } from 'kysely';
import {
	clearFailedAttempts,
	isLockedOut,
	recordFailedAttempt,
	type AttemptLimit
} from '../auth/attempts';
import { verifyPassword } from '../auth/passwords';
import { createSession } from '../auth/sessions';
import type { Database } from '../db/schema';

/** Failed logins per client address and username before that pair must wait. */
export const LOGIN_ATTEMPT_LIMIT: AttemptLimit = { maxFailures: 5, windowMs: 15 * 60_000 };

export type LoginOutcome =
	{ ok: true; token: string; expiresAt: Date } | { ok: false; message: string };

// A fixed hash to verify against when the username is unknown, so both cases take as long.
const UNKNOWN_USER_HASH =
	'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export async function logInOfficeAccount(
	db: Kysely<Database>,
	credentials: { username: string; password: string; clientAddress: string },
	now: Date = new Date()
): Promise<LoginOutcome> {
	const username = credentials.username.trim();
	const attemptKey = `login:${credentials.clientAddress}:${username.toLowerCase()}`;
	if (await isLockedOut(db, attemptKey, LOGIN_ATTEMPT_LIMIT, now)) {
		return { ok: false, message: '登录失败次数过多，请 15 分钟后再试' };
	}
	const account = await db
		.selectFrom('office_accounts')
		.select(['id', 'password_hash'])
		.where('username', '=', username)
		.where('active', '=', 1)
		.executeTakeFirst();
	const valid = await verifyPassword(
		credentials.password,
		account?.password_hash ?? UNKNOWN_USER_HASH
	);
	if (!account || !valid) {
		await recordFailedAttempt(db, attemptKey, now);
		return { ok: false, message: '用户名或密码不对' };
	}
	await clearFailedAttempts(db, attemptKey);
	return { ok: true, ...(await createSession(db, account.id, now)) };
}
