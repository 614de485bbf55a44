import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrollTestDevice } from '../testing/fixtures';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { createOfficeAccount } from './accounts';
import { listAudit } from './audit';
import { createCommunity } from './communities';
import { mintEnrollmentCodeInOffice, revokeDeviceInOffice } from './device-admin';

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
