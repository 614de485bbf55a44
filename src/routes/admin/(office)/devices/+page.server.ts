import { fail } from '@sveltejs/kit';
import QRCode from 'qrcode';
import * as v from 'valibot';
import { DEVICE_KINDS, ENROLL_QR_PREFIX } from '$lib/protocol/devices';
import { getDatabase } from '$lib/server/db/connection';
import {
	DEVICE_KIND_NAMES,
	listDevices,
	listOpenEnrollmentCodes
} from '$lib/server/devices/enrollment';
import {
	mintEnrollmentCodeInOffice,
	renameDeviceInOffice,
	revokeDeviceInOffice
} from '$lib/server/office/device-admin';
import { requireOfficePage } from '$lib/server/office/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies, url }) => {
	const account = await requireOfficePage(cookies, 'devices');
	const db = await getDatabase();
	const devices = (await listDevices(db, account.community_id)).map((device) => ({
		id: device.id,
		name: device.name,
		kind: device.kind,
		enrolledAt: device.enrolled_at,
		lastSeenAt: device.last_seen_at,
		revokedAt: device.revoked_at
	}));
	// The two steps that open from a device's row, as links: they work without JavaScript.
	const working = (id: string | null) =>
		devices.find((device) => device.id === id && !device.revokedAt) ?? null;
	return {
		kindNames: DEVICE_KIND_NAMES,
		devices,
		renaming: working(url.searchParams.get('rename')),
		confirmingRevoke: working(url.searchParams.get('revoke')),
		codes: await listOpenEnrollmentCodes(db, account.community_id)
	};
};

const RenameForm = v.object({ deviceId: v.string(), name: v.string() });

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
		return { done: '已停用这台设备：它不能再同步，要再用需重新登记。' };
	},
	rename: async ({ cookies, request }) => {
		const account = await requireOfficePage(cookies, 'devices');
		const parsed = v.safeParse(RenameForm, Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { message: '请填写设备名称' });
		const { deviceId, name } = parsed.output;
		const renamed = await renameDeviceInOffice(
			await getDatabase(),
			{ communityId: account.community_id, accountId: account.id },
			deviceId,
			name
		);
		if (!renamed.ok) {
			return fail(400, { message: renamed.message, refusedName: { deviceId, name } });
		}
		return { done: `已改名为「${renamed.name}」` };
	}
};
