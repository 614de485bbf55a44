import type { Kysely } from 'kysely';
import * as v from 'valibot';
import { OFFICE_ROLES } from '$lib/office/office-pages';
import { hashPassword } from '../auth/passwords';
import { hashToken } from '../devices/tokens';
import type { Database, OfficeRole } from '../db/schema';
import type { StaffRole } from '../db/schema-shop';
import { inTransaction } from '../db/transactions';
import { recordStaffChanges } from '../sync/change-feed';
import { OFFICE_ROLE_NAMES } from './accounts';
import { recordAudit } from './audit';

/*
 * The admin's account page: office accounts of the community, created, deactivated and
 * reactivated, their passwords reset. A deactivated account's sessions end at once (and the
 * session check refuses inactive accounts anyway); a reset password ends the account's other
 * sessions. Every change writes its audit row in the same transaction.
 */

export const UsernameSchema = v.pipe(
	v.string(),
	v.trim(),
	v.regex(/^[A-Za-z0-9_.-]{3,40}$/, '用户名用 3–40 个字母、数字、下划线、点或连字符')
);
export const DisplayNameSchema = v.pipe(
	v.string(),
	v.trim(),
	v.minLength(1, '请填写姓名'),
	v.maxLength(40, '姓名最多 40 个字')
);
export const PasswordSchema = v.pipe(
	v.string(),
	v.minLength(8, '密码至少 8 位'),
	v.maxLength(200, '密码最多 200 位')
);

export const NewAccountSchema = v.object({
	username: UsernameSchema,
	displayName: DisplayNameSchema,
	role: v.picklist(OFFICE_ROLES, '请选择角色'),
	password: PasswordSchema
});
export type NewAccountInput = v.InferOutput<typeof NewAccountSchema>;

/** The admin who acts. */
export interface AccountActor {
	communityId: number;
	accountId: number;
}

export type AccountOutcome<T = object> = ({ ok: true } & T) | { ok: false; message: string };

export interface AccountListRow {
	id: number;
	username: string;
	displayName: string;
	role: OfficeRole;
	active: boolean;
	createdAt: string;
	/** Set for an account that may open shop mode (a PIN was set). */
	staff: {
		role: StaffRole;
		/** The valid staff card, if any. */
		card: { id: number; serial: number } | null;
	} | null;
}

export async function listOfficeAccounts(
	db: Kysely<Database>,
	communityId: number
): Promise<AccountListRow[]> {
	const rows = await db
		.selectFrom('office_accounts')
		.leftJoin('staff_members', 'staff_members.id', 'office_accounts.id')
		.leftJoin('cards', (join) =>
			join
				.onRef('cards.office_account_id', '=', 'office_accounts.id')
				.on('cards.kind', '=', 'staff')
				.on('cards.revoked_at', 'is', null)
		)
		.select([
			'office_accounts.id',
			'office_accounts.username',
			'office_accounts.display_name',
			'office_accounts.role',
			'office_accounts.active',
			'office_accounts.created_at',
			'staff_members.role as staffRole',
			'cards.id as cardId',
			'cards.serial as cardSerial'
		])
		.where('office_accounts.community_id', '=', communityId)
		.orderBy('office_accounts.active', 'desc')
		.orderBy('office_accounts.id')
		.execute();
	return rows.map((row) => ({
		id: row.id,
		username: row.username,
		displayName: row.display_name,
		role: row.role,
		active: row.active === 1,
		createdAt: row.created_at,
		staff: row.staffRole
			? {
					role: row.staffRole,
					card:
						row.cardId !== null && row.cardSerial !== null
							? { id: row.cardId, serial: row.cardSerial }
							: null
				}
			: null
	}));
}

/** An account of the actor's community, or undefined. */
export async function communityAccount(db: Kysely<Database>, communityId: number, id: number) {
	return db
		.selectFrom('office_accounts')
		.select(['id', 'username', 'display_name', 'role', 'active'])
		.where('community_id', '=', communityId)
		.where('id', '=', id)
		.executeTakeFirst();
}

function accountLabel(account: { display_name: string; username: string }): string {
	return `${account.display_name}（${account.username}）`;
}

export async function createAccount(
	db: Kysely<Database>,
	actor: AccountActor,
	input: NewAccountInput,
	now: Date = new Date()
): Promise<AccountOutcome<{ accountId: number }>> {
	// The slow hash runs before the transaction: it must not hold the one writer for 100 ms.
	const passwordHash = await hashPassword(input.password);
	return inTransaction(db, async (trx) => {
		const taken = await trx
			.selectFrom('office_accounts')
			.select('id')
			.where('username', '=', input.username)
			.executeTakeFirst();
		if (taken) return { ok: false, message: '这个用户名已被使用，请换一个' };
		const row = await trx
			.insertInto('office_accounts')
			.values({
				community_id: actor.communityId,
				username: input.username,
				display_name: input.displayName,
				password_hash: passwordHash,
				role: input.role,
				active: 1,
				created_at: now.toISOString()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'account.create',
				subject: `account:${row.id}`,
				summary: `新增账号 ${input.displayName}（${input.username}，${OFFICE_ROLE_NAMES[input.role]}）`,
				details: { username: input.username, role: input.role }
			},
			now
		);
		return { ok: true, accountId: row.id };
	});
}

/** 停用 / 启用. Not one's own account (an admin must not lock the office out by a slip). */
export async function setAccountActive(
	db: Kysely<Database>,
	actor: AccountActor,
	accountId: number,
	active: boolean,
	now: Date = new Date()
): Promise<AccountOutcome> {
	if (accountId === actor.accountId) return { ok: false, message: '不能停用或启用自己的账号' };
	return db.transaction().execute(async (trx) => {
		const account = await communityAccount(trx, actor.communityId, accountId);
		if (!account) return { ok: false, message: '没有找到这个账号' };
		const changed = await trx
			.updateTable('office_accounts')
			.set({ active: active ? 1 : 0 })
			.where('id', '=', account.id)
			.where('active', '=', active ? 0 : 1)
			.executeTakeFirst();
		if (Number(changed.numUpdatedRows) === 0) {
			return { ok: false, message: active ? '这个账号已经是启用的' : '这个账号已经停用了' };
		}
		if (!active) await trx.deleteFrom('sessions').where('account_id', '=', account.id).execute();
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: active ? 'account.reactivate' : 'account.deactivate',
				subject: `account:${account.id}`,
				summary: `${active ? '启用' : '停用'}账号 ${accountLabel(account)}`
			},
			now
		);
		// A staff member's card stops (or starts) opening shop mode on the next pull.
		await recordStaffChanges(trx, actor.communityId, [account.id], now);
		return { ok: true };
	});
}

/**
 * 重置密码: sets a new password and ends the account's sessions, except `keepSessionToken` (the
 * admin's own session when they reset their own password).
 */
export async function resetPassword(
	db: Kysely<Database>,
	actor: AccountActor,
	accountId: number,
	password: string,
	options: { keepSessionToken?: string; now?: Date } = {}
): Promise<AccountOutcome> {
	const now = options.now ?? new Date();
	const parsed = v.safeParse(PasswordSchema, password);
	if (!parsed.success) return { ok: false, message: parsed.issues[0].message };
	const passwordHash = await hashPassword(parsed.output);
	return db.transaction().execute(async (trx) => {
		const account = await communityAccount(trx, actor.communityId, accountId);
		if (!account) return { ok: false, message: '没有找到这个账号' };
		await trx
			.updateTable('office_accounts')
			.set({ password_hash: passwordHash })
			.where('id', '=', account.id)
			.execute();
		let sessions = trx.deleteFrom('sessions').where('account_id', '=', account.id);
		if (options.keepSessionToken) {
			sessions = sessions.where('id', '!=', hashToken(options.keepSessionToken));
		}
		await sessions.execute();
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'account.password',
				subject: `account:${account.id}`,
				summary: `重置账号 ${accountLabel(account)} 的密码`
			},
			now
		);
		return { ok: true };
	});
}
