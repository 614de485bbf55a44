import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { SESSION_COOKIE } from '$lib/server/auth/sessions';
import { getDatabase } from '$lib/server/db/connection';
import {
	createAccount,
	listOfficeAccounts,
	NewAccountSchema,
	resetPassword,
	setAccountActive
} from '$lib/server/office/account-management';
import { OFFICE_ROLE_NAMES } from '$lib/server/office/accounts';
import { STAFF_ROLE_NAMES } from '$lib/server/office/card-print';
import { LOST_REASON_MAX_LENGTH, reportCardLost } from '$lib/server/office/cards';
import { requireAdmin, requireOfficePage } from '$lib/server/office/guard';
import {
	issueStaffCard,
	setStaffPin,
	StaffPinSchema,
	unlockStaffPin
} from '$lib/server/office/staff-accounts';
import type { Actions, PageServerLoad } from './$types';

const Id = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));

/** The account an action is about (a hidden field), or null. */
function accountIdFrom(form: FormData): number | null {
	const parsed = v.safeParse(Id, form.get('accountId'));
	return parsed.success ? parsed.output : null;
}

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

async function adminActor(cookies: Parameters<typeof requireAdmin>[0]) {
	const account = await requireAdmin(cookies);
	return { communityId: account.community_id, accountId: account.id };
}

export const load: PageServerLoad = async ({ cookies }) => {
	const account = await requireOfficePage(cookies, 'accounts');
	return {
		me: account.id,
		accounts: await listOfficeAccounts(await getDatabase(), account.community_id),
		roleNames: OFFICE_ROLE_NAMES,
		staffRoleNames: STAFF_ROLE_NAMES,
		reasonMaxLength: LOST_REASON_MAX_LENGTH
	};
};

export const actions: Actions = {
	create: async ({ cookies, request }) => {
		const actor = await adminActor(cookies);
		const form = await request.formData();
		const values = {
			username: text(form, 'username'),
			displayName: text(form, 'displayName'),
			role: text(form, 'role')
		};
		if (text(form, 'password') !== text(form, 'passwordAgain')) {
			return fail(400, { form: 'create', values, message: '两次输入的密码不一样' });
		}
		const parsed = v.safeParse(NewAccountSchema, { ...values, password: text(form, 'password') });
		if (!parsed.success) {
			return fail(400, { form: 'create', values, message: parsed.issues[0].message });
		}
		const created = await createAccount(await getDatabase(), actor, parsed.output);
		if (!created.ok) return fail(400, { form: 'create', values, message: created.message });
		return { done: `已新增账号 ${parsed.output.displayName}（${parsed.output.username}）` };
	},
	deactivate: async ({ cookies, request }) => toggle(cookies, request, false),
	reactivate: async ({ cookies, request }) => toggle(cookies, request, true),
	password: async ({ cookies, request }) => {
		const actor = await adminActor(cookies);
		const form = await request.formData();
		const accountId = accountIdFrom(form);
		if (accountId === null) return fail(400, { message: '没有找到这个账号' });
		if (text(form, 'password') !== text(form, 'passwordAgain')) {
			return fail(400, { accountId, message: '两次输入的密码不一样' });
		}
		const reset = await resetPassword(
			await getDatabase(),
			actor,
			accountId,
			text(form, 'password'),
			{
				keepSessionToken: cookies.get(SESSION_COOKIE)
			}
		);
		if (!reset.ok) return fail(400, { accountId, message: reset.message });
		return { accountId, done: '密码已重置，这个账号在其他地方的登录已退出' };
	},
	pin: async ({ cookies, request }) => {
		const actor = await adminActor(cookies);
		const form = await request.formData();
		const accountId = accountIdFrom(form);
		if (accountId === null) return fail(400, { message: '没有找到这个账号' });
		if (text(form, 'pin') !== text(form, 'pinAgain')) {
			return fail(400, { accountId, message: '两次输入的 PIN 不一样' });
		}
		const parsed = v.safeParse(StaffPinSchema, {
			shopRole: text(form, 'shopRole'),
			pin: text(form, 'pin')
		});
		if (!parsed.success) return fail(400, { accountId, message: parsed.issues[0].message });
		const set = await setStaffPin(await getDatabase(), actor, accountId, parsed.output);
		if (!set.ok) return fail(400, { accountId, message: set.message });
		return { accountId, done: 'PIN 已设置，柜台终端同步后生效' };
	},
	unlock: async ({ cookies, request }) => {
		const actor = await adminActor(cookies);
		const accountId = accountIdFrom(await request.formData());
		if (accountId === null) return fail(400, { message: '没有找到这个账号' });
		const unlocked = await unlockStaffPin(await getDatabase(), actor, accountId);
		if (!unlocked.ok) return fail(400, { accountId, message: unlocked.message });
		return { accountId, done: '已解锁，柜台终端同步后就能再输入 PIN' };
	},
	staffCard: async ({ cookies, request }) => {
		const actor = await adminActor(cookies);
		const accountId = accountIdFrom(await request.formData());
		if (accountId === null) return fail(400, { message: '没有找到这个账号' });
		const issued = await issueStaffCard(await getDatabase(), actor, accountId);
		if (!issued.ok) return fail(400, { accountId, message: issued.message });
		return { accountId, done: `已发店员卡（第 ${issued.serial} 张）`, printCardId: issued.cardId };
	},
	staffCardLost: async ({ cookies, request }) => {
		const actor = await adminActor(cookies);
		const form = await request.formData();
		const accountId = accountIdFrom(form);
		const cardId = v.safeParse(Id, form.get('cardId'));
		if (accountId === null || !cardId.success) return fail(400, { message: '没有找到这张卡' });
		if (form.get('confirm') !== 'yes') {
			return fail(400, { accountId, message: '请勾选确认：挂失后这张店员卡在所有柜台终端上作废' });
		}
		const lost = await reportCardLost(await getDatabase(), actor, {
			cardId: cardId.output,
			reason: text(form, 'reason')
		});
		if (!lost.ok) return fail(400, { accountId, message: lost.message });
		return {
			accountId,
			done: lost.replacement ? `已挂失，补发第 ${lost.replacement.serial} 张店员卡` : '已挂失',
			printCardId: lost.replacement?.cardId
		};
	}
};

async function toggle(
	cookies: Parameters<typeof requireAdmin>[0],
	request: Request,
	active: boolean
) {
	const actor = await adminActor(cookies);
	const accountId = accountIdFrom(await request.formData());
	if (accountId === null) return fail(400, { message: '没有找到这个账号' });
	const changed = await setAccountActive(await getDatabase(), actor, accountId, active);
	if (!changed.ok) return fail(400, { accountId, message: changed.message });
	return { accountId, done: active ? '账号已启用' : '账号已停用，它的登录已全部退出' };
}
