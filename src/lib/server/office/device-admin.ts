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
 * The devices page's changes, each with its audit row in the same transaction: a new enrollment
 * code, a device renamed, and a device stopped.
 */

/** As long as the name a device may give itself when it enrolls. */
export const DEVICE_NAME_MAX = 60;

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

export type RenameOutcome = { ok: true; name: string } | { ok: false; message: string };

/**
 * Gives a device a name the office tells apart (two TVs both "大堂屏幕"). The name is trimmed;
 * an empty one, one another working device of the community already has, or a device that is
 * not the community's changes nothing.
 */
export async function renameDeviceInOffice(
	db: Kysely<Database>,
	actor: DeviceActor,
	deviceId: string,
	newName: string,
	now: Date = new Date()
): Promise<RenameOutcome> {
	const name = newName.trim();
	if (name === '') return { ok: false, message: '请填写设备名称' };
	if (name.length > DEVICE_NAME_MAX) {
		return { ok: false, message: `设备名称最多 ${DEVICE_NAME_MAX} 个字` };
	}
	return db.transaction().execute(async (trx): Promise<RenameOutcome> => {
		const device = await trx
			.selectFrom('devices')
			.select(['id', 'name', 'kind'])
			.where('id', '=', deviceId)
			.where('community_id', '=', actor.communityId)
			.executeTakeFirst();
		if (!device) return { ok: false, message: '没有找到这台设备' };
		if (device.name === name) return { ok: true, name };
		const sameName = await trx
			.selectFrom('devices')
			.select('id')
			.where('community_id', '=', actor.communityId)
			.where('name', '=', name)
			.where('revoked_at', 'is', null)
			.where('id', '!=', deviceId)
			.executeTakeFirst();
		if (sameName) return { ok: false, message: `已有一台设备叫「${name}」，请换一个名称` };
		await trx.updateTable('devices').set({ name }).where('id', '=', deviceId).execute();
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'device.rename',
				subject: `device:${device.id}`,
				summary: `${DEVICE_KIND_NAMES[device.kind]}「${device.name}」改名为「${name}」`,
				details: { from: device.name, to: name }
			},
			now
		);
		return { ok: true, name };
	});
}
