import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/passwords';
import { createSession, sessionAccount } from '../auth/sessions';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import {
	createAccount,
	listOfficeAccounts,
	resetPassword,
	setAccountActive,
	type AccountActor
} from './account-management';
import { createOfficeAccount } from './accounts';
import { listAudit } from './audit';
import { createCommunity } from './communities';

let temp: TempDatabase;
let admin: AccountActor;

beforeEach(async () => {
	temp = await openTempDatabase();
	const communityId = await createCommunity(temp.db, { slug: 'acc', name: '账号社区' });
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
});

afterEach(() => temp.dispose());

const newGridWorker = async () => {
	const created = await createAccount(temp.db, admin, {
		username: 'grid7',
		displayName: '李网格',
		role: 'gridWorker',
		password: 'grid-password'
	});
	if (!created.ok) throw new Error(created.message);
	return created.accountId;
};

describe('office accounts', () => {
	it('creates an account with its role, and writes who did it', async () => {
		const id = await newGridWorker();
		const accounts = await listOfficeAccounts(temp.db, admin.communityId);
		expect(accounts.map((a) => [a.username, a.role, a.active])).toEqual([
			['boss', 'admin', true],
			['grid7', 'gridWorker', true]
		]);
		const [audit] = await listAudit(temp.db, admin.communityId, { group: 'account' });
		expect(audit).toMatchObject({
			action: 'account.create',
			subject: `account:${id}`,
			accountName: '张主任',
			summary: '新增账号 李网格（grid7，网格员）'
		});
	});

	it('refuses a username already used (in any community), changing nothing', async () => {
		await newGridWorker();
		expect(
			await createAccount(temp.db, admin, {
				username: 'grid7',
				displayName: '另一个',
				role: 'admin',
				password: 'another-password'
			})
		).toEqual({ ok: false, message: '这个用户名已被使用，请换一个' });
		expect(await listOfficeAccounts(temp.db, admin.communityId)).toHaveLength(2);
		expect(await listAudit(temp.db, admin.communityId)).toHaveLength(1);
	});

	it("ends a deactivated account's sessions, and refuses its old cookie", async () => {
		const id = await newGridWorker();
		const session = await createSession(temp.db, id);
		expect(await sessionAccount(temp.db, session.token)).not.toBeNull();
		expect(await setAccountActive(temp.db, admin, id, false)).toEqual({ ok: true });
		expect(await sessionAccount(temp.db, session.token)).toBeNull();
		expect(await setAccountActive(temp.db, admin, id, false)).toEqual({
			ok: false,
			message: '这个账号已经停用了'
		});
		expect(await setAccountActive(temp.db, admin, id, true)).toEqual({ ok: true });
		const actions = (await listAudit(temp.db, admin.communityId)).map((row) => row.action);
		expect(actions).toEqual(['account.reactivate', 'account.deactivate', 'account.create']);
	});

	it('does not let an admin deactivate their own account', async () => {
		expect(await setAccountActive(temp.db, admin, admin.accountId, false)).toEqual({
			ok: false,
			message: '不能停用或启用自己的账号'
		});
	});

	it('refuses an account of another community', async () => {
		const other = await createCommunity(temp.db, { slug: 'other', name: '别的社区' });
		const id = await newGridWorker();
		const outsider = { communityId: other, accountId: 999 };
		expect(await setAccountActive(temp.db, outsider, id, false)).toMatchObject({ ok: false });
		expect(await resetPassword(temp.db, outsider, id, 'new-password-1')).toMatchObject({
			ok: false
		});
	});

	it('resets a password and ends the other sessions, keeping the one that reset it', async () => {
		const id = await newGridWorker();
		const phone = await createSession(temp.db, id);
		expect(await resetPassword(temp.db, admin, id, 'short')).toEqual({
			ok: false,
			message: '密码至少 8 位'
		});
		expect(await sessionAccount(temp.db, phone.token)).not.toBeNull();
		expect(await resetPassword(temp.db, admin, id, 'new-password-1')).toEqual({ ok: true });
		expect(await sessionAccount(temp.db, phone.token)).toBeNull();
		const hash = await temp.db
			.selectFrom('office_accounts')
			.select('password_hash')
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(await verifyPassword('new-password-1', hash.password_hash)).toBe(true);

		const mine = await createSession(temp.db, admin.accountId);
		const myOther = await createSession(temp.db, admin.accountId);
		await resetPassword(temp.db, admin, admin.accountId, 'my-new-password', {
			keepSessionToken: mine.token
		});
		expect(await sessionAccount(temp.db, mine.token)).not.toBeNull();
		expect(await sessionAccount(temp.db, myOther.token)).toBeNull();
		const [audit] = await listAudit(temp.db, admin.communityId);
		expect(audit?.summary).toBe('重置账号 张主任（boss） 的密码');
		expect(audit?.details).toBeNull();
	});
});
