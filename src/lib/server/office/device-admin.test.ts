import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrollTestDevice } from '../testing/fixtures';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { createOfficeAccount } from './accounts';
import { listAudit } from './audit';
import { createCommunity } from './communities';
import {
	mintEnrollmentCodeInOffice,
	renameDeviceInOffice,
	revokeDeviceInOffice
} from './device-admin';

let temp: TempDatabase;
let actor: { communityId: number; accountId: number };

beforeEach(async () => {
	temp = await openTempDatabase();
	const communityId = await createCommunity(temp.db, { slug: 'dev', name: '设备社区' });
	const accountId = await createOfficeAccount(temp.db, {
		communityId,
		username: 'boss',
		displayName: '张主任',
		password: 'admin-password',
		role: 'admin'
	});
	actor = { communityId, accountId };
});

afterEach(() => temp.dispose());

describe('the devices page writes the audit list', () => {
	it('records a new enrollment code without the code itself', async () => {
		const minted = await mintEnrollmentCodeInOffice(temp.db, actor, 'kiosk');
		const [row] = await listAudit(temp.db, actor.communityId, { group: 'device' });
		expect(row).toMatchObject({ action: 'device.enrollment_code', summary: '生成柜台终端登记码' });
		expect(JSON.stringify(row)).not.toContain(minted.code);
	});

	it('records a stopped device once, and nothing for a second stop', async () => {
		const { device } = await enrollTestDevice(temp.db, actor.communityId);
		expect(await revokeDeviceInOffice(temp.db, actor, device.id)).toBe(true);
		expect(await revokeDeviceInOffice(temp.db, actor, device.id)).toBe(false);
		const rows = await listAudit(temp.db, actor.communityId, { group: 'device' });
		expect(rows.map((row) => row.action)).toEqual(['device.revoke']);
		expect(rows[0]?.summary).toBe(`停用柜台终端 ${device.name}`);
	});
});

describe('renaming a device', () => {
	async function nameOf(deviceId: string): Promise<string> {
		const row = await temp.db
			.selectFrom('devices')
			.select('name')
			.where('id', '=', deviceId)
			.executeTakeFirstOrThrow();
		return row.name;
	}

	it('gives two lobby screens names the office tells apart, and writes the audit list', async () => {
		const { device } = await enrollTestDevice(temp.db, actor.communityId, 'display');
		const before = await nameOf(device.id);
		expect(await renameDeviceInOffice(temp.db, actor, device.id, '  北门大堂屏幕 ')).toEqual({
			ok: true,
			name: '北门大堂屏幕'
		});
		expect(await nameOf(device.id)).toBe('北门大堂屏幕');
		const [row] = await listAudit(temp.db, actor.communityId, { group: 'device' });
		expect(row).toMatchObject({
			action: 'device.rename',
			subject: `device:${device.id}`,
			summary: `大堂屏幕「${before}」改名为「北门大堂屏幕」`
		});
	});

	it('refuses an empty name, a too long one and the name of another working device, changing nothing', async () => {
		const { device } = await enrollTestDevice(temp.db, actor.communityId, 'display');
		const { device: other } = await enrollTestDevice(temp.db, actor.communityId, 'display');
		await renameDeviceInOffice(temp.db, actor, other.id, '南门屏幕');
		const before = await nameOf(device.id);
		const auditBefore = (await listAudit(temp.db, actor.communityId, {})).length;

		expect(await renameDeviceInOffice(temp.db, actor, device.id, '   ')).toEqual({
			ok: false,
			message: '请填写设备名称'
		});
		expect(await renameDeviceInOffice(temp.db, actor, device.id, '屏'.repeat(61))).toEqual({
			ok: false,
			message: '设备名称最多 60 个字'
		});
		expect(await renameDeviceInOffice(temp.db, actor, device.id, '南门屏幕')).toEqual({
			ok: false,
			message: '已有一台设备叫「南门屏幕」，请换一个名称'
		});
		expect(await nameOf(device.id)).toBe(before);
		expect((await listAudit(temp.db, actor.communityId, {})).length).toBe(auditBefore);
	});

	it('does not rename a device of another community, nor one that does not exist', async () => {
		const elsewhere = await createCommunity(temp.db, { slug: 'other', name: '别的社区' });
		const { device } = await enrollTestDevice(temp.db, elsewhere);
		const before = await nameOf(device.id);
		expect(await renameDeviceInOffice(temp.db, actor, device.id, '我的屏幕')).toEqual({
			ok: false,
			message: '没有找到这台设备'
		});
		expect(await renameDeviceInOffice(temp.db, actor, 'no-such-device', '我的屏幕')).toMatchObject({
			ok: false
		});
		expect(await nameOf(device.id)).toBe(before);
	});

	it('shows a name typed with markup as the text it is', async () => {
		const { device } = await enrollTestDevice(temp.db, actor.communityId);
		const name = '<script>alert(1)</script>';
		expect(await renameDeviceInOffice(temp.db, actor, device.id, name)).toEqual({ ok: true, name });
		expect(await nameOf(device.id)).toBe(name);
	});
});
