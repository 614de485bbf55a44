import { fail } from '@sveltejs/kit';
import QRCode from 'qrcode';
import * as v from 'valibot';
import { DEFAULT_TIME_ZONE } from '$lib/domain/business-date';
import { DEVICE_KINDS, ENROLL_QR_PREFIX } from '$lib/protocol/devices';
import { getDatabase } from '$lib/server/db/connection';
import {
	DEVICE_KIND_NAMES,
	listDevices,
	listOpenEnrollmentCodes
} from '$lib/server/devices/enrollment';
import { mintEnrollmentCodeInOffice, revokeDeviceInOffice } from '$lib/server/office/device-admin';
import { requireOfficePage } from '$lib/server/office/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies }) => {
	const account = await requireOfficePage(cookies, 'devices');
	const db = await getDatabase();
	const devices = await listDevices(db, account.community_id);
	const community = await db
		.selectFrom('communities')
		.select('time_zone')
		.where('id', '=', account.community_id)
		.executeTakeFirst();
	return {
		kindNames: DEVICE_KIND_NAMES,
		// Times are shown on the community's clock, not the server's or the browser's.
		timeZone: community?.time_zone ?? DEFAULT_TIME_ZONE,
		devices: devices.map((device) => ({
			id: device.id,
			name: device.name,
			kind: device.kind,
			enrolledAt: device.enrolled_at,
			lastSeenAt: device.last_seen_at,
			revokedAt: device.revoked_at
		})),
		codes: await listOpenEnrollmentCodes(db, account.community_id)
	};
};

export const actions: Actions = {
	mint: async ({ cookies, request }) => {
		const account = await requireOfficePage(cookies, 'devices');
		const kind = v.safeParse(v.picklist(DEVICE_KINDS), (await request.formData()).get('kind'));
		if (!kind.success) return fail(400, { message: '请选择设备类型' });
		const minted = await mintEnrollmentCodeInOffice(
			await getDatabase(),
			{ communityId: account.community_id, accountId: account.id },
			kind.output
		);
		const qrSvg = await QRCode.toString(ENROLL_QR_PREFIX + minted.code, {
			type: 'svg',
			errorCorrectionLevel: 'M',
			margin: 2
		});
		return { minted: { ...minted, qrSvg } };
	},
	revoke: async ({ cookies, request }) => {
		const account = await requireOfficePage(cookies, 'devices');
		const deviceId = String((await request.formData()).get('deviceId') ?? '');
		const revoked = await revokeDeviceInOffice(
			await getDatabase(),
			{ communityId: account.community_id, accountId: account.id },
			deviceId
		);
		if (!revoked) return fail(400, { message: '没有找到这台设备，或它已经停用' });
		return { revokedDeviceId: deviceId };
	}
};
