import type { Kysely } from 'kysely';
import {
	claimAttempt,
	passwordAttemptKey,
	releaseAttempt,
	type AttemptLimit,
	type LimitedKey
} from '../auth/attempts';
import { HashingBusy, passwordHashing } from '../auth/hashing-slots';
import { verifyPassword } from '../auth/passwords';
import { createSession } from '../auth/sessions';
import { isStorageFull } from '../db/connection';
import type { Database } from '../db/schema';

/** Failed logins per client address and username before that pair must wait. */
export const LOGIN_ATTEMPT_LIMIT: AttemptLimit = { maxFailures: 5, windowMs: 15 * 60_000 };
/** Failed logins with one password, whatever the usernames and addresses (password spraying). */
export const PASSWORD_ATTEMPT_LIMIT: AttemptLimit = { maxFailures: 10, windowMs: 15 * 60_000 };
/** Failed logins from one client address, whatever the usernames (a flood of made-up names). */
export const ADDRESS_ATTEMPT_LIMIT: AttemptLimit = { maxFailures: 30, windowMs: 15 * 60_000 };

export type LoginOutcome =
	| { ok: true; token: string; expiresAt: Date }
	/** `status` is what the form answers with: 400 wrong, 429 wait or busy, 507 no room. */
	| { ok: false; status: 400 | 429 | 507; message: string };

const LOCKED_OUT = '登录失败次数过多，请 15 分钟后再试';
const BUSY = '正在登录的人太多，请稍等几秒再试';

// A fixed hash to verify against when the username is unknown, so both cases take as long.
const UNKNOWN_USER_HASH =
	'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/**
 * Logs an office account in. The attempt is counted before the password is checked (see
 * auth/attempts.ts), against the address and username, the password, and the address alone;
 * the check itself waits for a hashing slot or answers "busy" (auth/hashing-slots.ts).
 */
export async function logInOfficeAccount(
	db: Kysely<Database>,
	credentials: { username: string; password: string; clientAddress: string },
	now: Date = new Date()
): Promise<LoginOutcome> {
	// A flood is turned away before it costs a database write (each commit is a disk flush).
	if (passwordHashing.full) return { ok: false, status: 429, message: BUSY };
	const username = credentials.username.trim();
	const keys: LimitedKey[] = [
		{
			key: `login:${credentials.clientAddress}:${username.toLowerCase()}`,
			limit: LOGIN_ATTEMPT_LIMIT
		},
		{ key: await passwordAttemptKey(db, credentials.password), limit: PASSWORD_ATTEMPT_LIMIT },
		{ key: `login-address:${credentials.clientAddress}`, limit: ADDRESS_ATTEMPT_LIMIT }
	];
	const claim = await claimAttempt(db, keys, now);
	if (!claim.ok) return { ok: false, status: 429, message: LOCKED_OUT };

	const account = await db
		.selectFrom('office_accounts')
		.select(['id', 'password_hash'])
		.where('username', '=', username)
		.where('active', '=', 1)
		.executeTakeFirst();
	let valid: boolean;
	try {
		valid = await verifyPassword(credentials.password, account?.password_hash ?? UNKNOWN_USER_HASH);
	} catch (error) {
		if (!(error instanceof HashingBusy)) throw error;
		// Never checked, so not a failure.
		await releaseAttempt(db, claim.claimIds);
		return { ok: false, status: 429, message: BUSY };
	}
	if (!account || !valid) return { ok: false, status: 400, message: '用户名或密码不对' };

	await releaseAttempt(db, claim.claimIds);
	try {
		return { ok: true, ...(await createSession(db, account.id, now)) };
	} catch (error) {
		if (!isStorageFull(error)) throw error;
		return { ok: false, status: 507, message: '服务器存储空间已满，暂时无法登录，请联系管理员' };
	}
}
