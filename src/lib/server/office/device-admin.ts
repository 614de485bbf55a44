import type { Kysely } from 'kysely';
import type { DeviceKind } from '$lib/protocol/devices';
import type { Database } from '../db/schema';
import {
	DEVICE_KIND_NAMES,
	mintEnrollmentCode,
	revokeDevice,
	type MintedEnrollmentCode
} from '../devices/enrollment';
import { recordAudit } from './audit';

/*
 * The devices page's two changes, each with its audit row in the same transaction: a new
 * enrollment code, and a device stopped.
 */

export interface DeviceActor {
	communityId: number;
	accountId: number;
}

export async function mintEnrollmentCodeInOffice(
	db: Kysely<Database>,
	actor: DeviceActor,
	kind: DeviceKind,
	now: Date = new Date()
): Promise<MintedEnrollmentCode> {
	return db.transaction().execute(async (trx) => {
		const minted = await mintEnrollmentCode(trx, {
			communityId: actor.communityId,
			kind,
			createdByAccountId: actor.accountId,
			now
		});
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'device.enrollment_code',
				subject: null,
				// The code itself stays out of the list: it still enrolls a device until it expires.
				summary: `生成${DEVICE_KIND_NAMES[kind]}登记码`,
				details: { kind, expiresAt: minted.expiresAt }
			},
			now
		);
		return minted;
	});
}

/** Answers false when the device is not of the community or already stopped. */
export async function revokeDeviceInOffice(
	db: Kysely<Database>,
	actor: DeviceActor,
	deviceId: string,
	now: Date = new Date()
): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const device = await trx
			.selectFrom('devices')
			.select(['id', 'name', 'kind'])
			.where('id', '=', deviceId)
			.where('community_id', '=', actor.communityId)
			.executeTakeFirst();
		if (!device || !(await revokeDevice(trx, actor.communityId, deviceId, now))) return false;
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'device.revoke',
				subject: `device:${device.id}`,
				summary: `停用${DEVICE_KIND_NAMES[device.kind]} ${device.name}`
			},
			now
		);
		return true;
	});
}
