import { randomInt, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DeviceKind, EnrollRequest, EnrollResponse } from '$lib/protocol/devices';
import { normalizeEnrollCode } from '$lib/protocol/devices';
import { isLockedOut, recordFailedAttempt, type AttemptLimit } from '../auth/attempts';
import type { Database, DeviceRow } from '../db/schema';
import { communitySnapshot } from '../sync/snapshots';
import { readKioskEarnRules } from '../sync/change-feed';
import { bearerToken, hashToken, newDeviceToken } from './tokens';

export const ENROLLMENT_CODE_LIFETIME_MS = 7 * 24 * 3600_000;
/** Wrong codes per client address before enrollment pauses for that address. */
export const ENROLL_ATTEMPT_LIMIT: AttemptLimit = { maxFailures: 10, windowMs: 10 * 60_000 };

export const DEVICE_KIND_NAMES: Record<DeviceKind, string> = {
	kiosk: '柜台终端',
	display: '大堂屏幕'
};

export interface MintedEnrollmentCode {
	code: string;
	kind: DeviceKind;
	expiresAt: string;
}

/** Makes a single-use 8-digit code that enrolls one device of `kind` into the community. */
export async function mintEnrollmentCode(
	db: Kysely<Database>,
	options: { communityId: number; kind: DeviceKind; createdByAccountId?: number; now?: Date }
): Promise<MintedEnrollmentCode> {
	const now = options.now ?? new Date();
	const expiresAt = new Date(now.getTime() + ENROLLMENT_CODE_LIFETIME_MS).toISOString();
	for (;;) {
		const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
		// Codes must be unique among the usable ones, or one typed code could match two rows.
		const taken = await db
			.selectFrom('enrollment_codes')
			.select('id')
			.where('code', '=', code)
			.where('used_at', 'is', null)
			.where('expires_at', '>', now.toISOString())
			.executeTakeFirst();
		if (taken) continue;
		await db
			.insertInto('enrollment_codes')
			.values({
				code,
				community_id: options.communityId,
				kind: options.kind,
				created_by_account_id: options.createdByAccountId ?? null,
				created_at: now.toISOString(),
				expires_at: expiresAt
			})
			.execute();
		return { code, kind: options.kind, expiresAt };
	}
}

export async function listOpenEnrollmentCodes(
	db: Kysely<Database>,
	communityId: number,
	now: Date = new Date()
): Promise<MintedEnrollmentCode[]> {
	const rows = await db
		.selectFrom('enrollment_codes')
		.select(['code', 'kind', 'expires_at'])
		.where('community_id', '=', communityId)
		.where('used_at', 'is', null)
		.where('expires_at', '>', now.toISOString())
		.orderBy('id', 'desc')
		.execute();
	return rows.map((row) => ({ code: row.code, kind: row.kind, expiresAt: row.expires_at }));
}

export type EnrollOutcome =
	| { ok: true; enrollment: EnrollResponse }
	| { ok: false; error: 'invalid_code' | 'rate_limited'; message: string };

/** Spends an enrollment code on a new device and hands out its token (shown once, never stored). */
export async function enrollDevice(
	db: Kysely<Database>,
	request: EnrollRequest,
	options: { clientAddress: string; now?: Date }
): Promise<EnrollOutcome> {
	const now = options.now ?? new Date();
	const attemptKey = `enroll:${options.clientAddress}`;
	return db.transaction().execute(async (trx): Promise<EnrollOutcome> => {
		if (await isLockedOut(trx, attemptKey, ENROLL_ATTEMPT_LIMIT, now)) {
			return { ok: false, error: 'rate_limited', message: '登记码错误次数过多，请 10 分钟后再试' };
		}
		const code = await trx
			.selectFrom('enrollment_codes')
			.select(['id', 'community_id', 'kind'])
			.where('code', '=', normalizeEnrollCode(request.code))
			.where('used_at', 'is', null)
			.where('expires_at', '>', now.toISOString())
			.executeTakeFirst();
		if (!code) {
			await recordFailedAttempt(trx, attemptKey, now);
			return { ok: false, error: 'invalid_code', message: '登记码无效、已过期或已被使用' };
		}
		if (code.kind !== request.kind) {
			return {
				ok: false,
				error: 'invalid_code',
				message: `这个登记码是给${DEVICE_KIND_NAMES[code.kind]}用的`
			};
		}
		const deviceId = randomUUID();
		const token = newDeviceToken();
		const name = request.name || `${DEVICE_KIND_NAMES[code.kind]} ${deviceId.slice(0, 4)}`;
		await trx
			.insertInto('devices')
			.values({
				id: deviceId,
				community_id: code.community_id,
				kind: code.kind,
				name,
				token_hash: hashToken(token),
				enrolled_at: now.toISOString()
			})
			.execute();
		await trx
			.updateTable('enrollment_codes')
			.set({ used_at: now.toISOString(), used_by_device_id: deviceId })
			.where('id', '=', code.id)
			.execute();
		const community = await trx
			.selectFrom('communities')
			.selectAll()
			.where('id', '=', code.community_id)
			.executeTakeFirstOrThrow();
		return {
			ok: true,
			enrollment: {
				deviceId,
				token,
				kind: code.kind,
				community: communitySnapshot(community, await readKioskEarnRules(trx, code.community_id)),
				name
			}
		};
	});
}

/** The enrolled, unrevoked device an `Authorization` header speaks for, or null. */
export async function authenticateDevice(
	db: Kysely<Database>,
	authorization: string | null
): Promise<DeviceRow | null> {
	const token = bearerToken(authorization);
	if (!token) return null;
	const device = await db
		.selectFrom('devices')
		.selectAll()
		.where('token_hash', '=', hashToken(token))
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	return device ?? null;
}

export async function listDevices(db: Kysely<Database>, communityId: number): Promise<DeviceRow[]> {
	return db
		.selectFrom('devices')
		.selectAll()
		.where('community_id', '=', communityId)
		.orderBy('enrolled_at', 'desc')
		.execute();
}

/** Revokes a device of the community; its token stops working at once. */
export async function revokeDevice(
	db: Kysely<Database>,
	communityId: number,
	deviceId: string,
	now: Date = new Date()
): Promise<boolean> {
	const result = await db
		.updateTable('devices')
		.set({ revoked_at: now.toISOString() })
		.where('id', '=', deviceId)
		.where('community_id', '=', communityId)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}
