import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPin } from '$lib/domain/pin';
import type { StaffSnapshot } from '$lib/protocol/sync';
import { latestChange } from '../testing/office-fixtures';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { createAccount, setAccountActive, type AccountActor } from './account-management';
import { createOfficeAccount } from './accounts';
import { listAudit } from './audit';
import { reportCardLost } from './cards';
import { createCommunity } from './communities';
import { issueStaffCard, setStaffPin, unlockStaffPin } from './staff-accounts';

let temp: TempDatabase;
let admin: AccountActor;
let shop: number;

beforeEach(async () => {
	temp = await openTempDatabase();
	const communityId = await createCommunity(temp.db, { slug: 'staff', name: '店员社区' });
	admin = {
		communityId,
		accountId: await createOfficeAccount(temp.db, {
			communityId,
			username: 'boss',
			displayName: '张主任',
			password: 'admin-password',
			role: 'admin'
		})
	};
	const created = await createAccount(temp.db, admin, {
		username: 'shop9',
		displayName: '店员小周',
		role: 'shopkeeper',
		password: 'shop-password'
	});
	if (!created.ok) throw new Error(created.message);
	shop = created.accountId;
});

afterEach(() => temp.dispose());

const snapshot = async () => (await latestChange(temp.db, 'staff', shop)) as StaffSnapshot;

describe('a 店员 account in the office', () => {
	it('gets a PIN, a shop role and card 1, which the kiosks receive', async () => {
		expect(
			await setStaffPin(temp.db, admin, shop, { shopRole: 'shopkeeper', pin: '2468' })
		).toEqual({ ok: true });
		const staff = await snapshot();
		expect(staff).toMatchObject({
			name: '店员小周',
			role: 'shopkeeper',
			active: true,
			activeSerials: [1],
			pinUnlocks: 0
		});
		expect(await verifyPin('2468', staff.pin!)).toBe(true);
		expect((await listAudit(temp.db, admin.communityId))[0]?.summary).toBe(
			'设置店员 店员小周 的 PIN 并发店员卡'
		);
	});

	it('refuses a PIN that is not 4–8 digits, and a non-店员 account', async () => {
		for (const pin of ['123', '123456789', '12a4', '']) {
			expect(await setStaffPin(temp.db, admin, shop, { shopRole: 'shopkeeper', pin })).toEqual({
				ok: false,
				message: 'PIN 是 4–8 位数字'
			});
		}
		expect(
			await setStaffPin(temp.db, admin, admin.accountId, { shopRole: 'manager', pin: '1234' })
		).toEqual({ ok: false, message: '只有店员账号才能设置 PIN 和店员卡' });
		expect(await snapshot()).toBeUndefined();
	});

	it('changes the PIN and role later, which also lifts a lock-out', async () => {
		await setStaffPin(temp.db, admin, shop, { shopRole: 'shopkeeper', pin: '2468' });
		await setStaffPin(temp.db, admin, shop, { shopRole: 'manager', pin: '13579' });
		const staff = await snapshot();
		expect(staff).toMatchObject({ role: 'manager', pinUnlocks: 1, activeSerials: [1] });
		expect(await verifyPin('13579', staff.pin!)).toBe(true);
	});

	it('unlocks the PIN on the kiosks by raising the count on the staff snapshot', async () => {
		expect(await unlockStaffPin(temp.db, admin, shop)).toEqual({
			ok: false,
			message: '这个店员还没有设置 PIN'
		});
		await setStaffPin(temp.db, admin, shop, { shopRole: 'shopkeeper', pin: '2468' });
		expect(await unlockStaffPin(temp.db, admin, shop)).toEqual({ ok: true });
		expect(await unlockStaffPin(temp.db, admin, shop)).toEqual({ ok: true });
		expect((await snapshot()).pinUnlocks).toBe(2);
		expect((await listAudit(temp.db, admin.communityId))[0]).toMatchObject({
			action: 'account.staff_unlock',
			summary: '解锁店员 店员小周 在柜台终端上的 PIN'
		});
	});

	it('replaces a lost staff card, and issues one only when none is valid', async () => {
		await setStaffPin(temp.db, admin, shop, { shopRole: 'shopkeeper', pin: '2468' });
		expect(await issueStaffCard(temp.db, admin, shop)).toMatchObject({ ok: false });
		const card = await temp.db
			.selectFrom('cards')
			.select('id')
			.where('office_account_id', '=', shop)
			.executeTakeFirstOrThrow();
		expect(
			await reportCardLost(temp.db, admin, { cardId: card.id, reason: '丢在店里' })
		).toMatchObject({ ok: true, replacement: { serial: 2 } });
		expect(await snapshot()).toMatchObject({ activeSerials: [2], revokedSerials: [1] });
	});

	it("keeps a deactivated 店员's card out of shop mode", async () => {
		await setStaffPin(temp.db, admin, shop, { shopRole: 'shopkeeper', pin: '2468' });
		await setAccountActive(temp.db, admin, shop, false);
		expect((await snapshot()).active).toBe(false);
		expect(await unlockStaffPin(temp.db, admin, shop)).toEqual({
			ok: false,
			message: '这个账号已停用'
		});
	});
});
