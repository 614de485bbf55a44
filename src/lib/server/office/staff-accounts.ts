import { sql, type Kysely } from 'kysely';
import * as v from 'valibot';
import { hashPin, isValidPin } from '$lib/domain/pin';
import { PIN_MAX_LENGTH, PIN_MIN_LENGTH } from '$lib/protocol/limits';
import { STAFF_ROLES } from '$lib/protocol/sync';
import type { Database } from '../db/schema';
import type { StaffRole } from '../db/schema-shop';
import { inTransaction } from '../db/transactions';
import { addStaffMember } from '../shop/staff';
import { recordStaffChanges } from '../sync/change-feed';
import { communityAccount, type AccountActor, type AccountOutcome } from './account-management';
import { recordAudit } from './audit';
import { STAFF_ROLE_NAMES } from './card-print';
import { hasActiveCard, insertCard } from './cards';

/*
 * 店员 accounts in the office: their shop role and PIN (which makes them a staff member the
 * kiosks know), their staff card, and unlocking a card the kiosks locked after wrong PINs. The
 * kiosk keeps its lock-out locally; the office's unlock is a count on the staff snapshot that the
 * kiosk compares with what its lock already took in (domain/pin-lockout.ts).
 */

export const StaffPinSchema = v.object({
	shopRole: v.picklist(STAFF_ROLES, '请选择店员或店长'),
	pin: v.pipe(v.string(), v.check(isValidPin, `PIN 是 ${PIN_MIN_LENGTH}–${PIN_MAX_LENGTH} 位数字`))
});
export type StaffPinInput = v.InferOutput<typeof StaffPinSchema>;

async function shopAccount(db: Kysely<Database>, actor: AccountActor, accountId: number) {
	const account = await communityAccount(db, actor.communityId, accountId);
	if (!account) return { ok: false as const, message: '没有找到这个账号' };
	// A 店员 account, or one already made shop staff (the demo's admin is also its 店长).
	const member = await db
		.selectFrom('staff_members')
		.select('id')
		.where('id', '=', account.id)
		.executeTakeFirst();
	if (account.role !== 'shopkeeper' && !member) {
		return { ok: false as const, message: '只有店员账号才能设置 PIN 和店员卡' };
	}
	if (account.active !== 1) return { ok: false as const, message: '这个账号已停用' };
	return { ok: true as const, account };
}

/**
 * 设置 PIN: the first time makes the account a staff member with card serial 1; later it
 * changes the PIN and shop role, and lifts any lock-out on the kiosks (a new PIN is a fresh start).
 */
export async function setStaffPin(
	db: Kysely<Database>,
	actor: AccountActor,
	accountId: number,
	input: StaffPinInput,
	now: Date = new Date()
): Promise<AccountOutcome> {
	if (!isValidPin(input.pin)) {
		return { ok: false, message: `PIN 是 ${PIN_MIN_LENGTH}–${PIN_MAX_LENGTH} 位数字` };
	}
	const pin = await hashPin(input.pin);
	return inTransaction(db, async (trx) => {
		const found = await shopAccount(trx, actor, accountId);
		if (!found.ok) return found;
		const { account } = found;
		const member = await trx
			.selectFrom('staff_members')
			.select('id')
			.where('id', '=', account.id)
			.executeTakeFirst();
		if (!member) {
			await addStaffMember(
				trx,
				{
					communityId: actor.communityId,
					accountId: account.id,
					role: input.shopRole,
					pin: input.pin
				},
				now
			);
		} else {
			await trx
				.updateTable('staff_members')
				.set({
					role: input.shopRole,
					pin_iterations: pin.iterations,
					pin_salt: pin.salt,
					pin_hash: pin.hash,
					pin_unlocks: sql<number>`pin_unlocks + 1`
				})
				.where('id', '=', account.id)
				.execute();
			await recordStaffChanges(trx, actor.communityId, [account.id], now);
		}
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'account.staff_pin',
				subject: `account:${account.id}`,
				summary: `设置${STAFF_ROLE_NAMES[input.shopRole]} ${account.display_name} 的 PIN${member ? '' : ' 并发店员卡'}`,
				details: { shopRole: input.shopRole }
			},
			now
		);
		return { ok: true };
	});
}

/** 解锁: the kiosks forget this card's wrong PINs on their next pull. */
export async function unlockStaffPin(
	db: Kysely<Database>,
	actor: AccountActor,
	accountId: number,
	now: Date = new Date()
): Promise<AccountOutcome> {
	return db.transaction().execute(async (trx) => {
		const found = await shopAccount(trx, actor, accountId);
		if (!found.ok) return found;
		const unlocked = await trx
			.updateTable('staff_members')
			.set({ pin_unlocks: sql<number>`pin_unlocks + 1` })
			.where('id', '=', accountId)
			.executeTakeFirst();
		if (Number(unlocked.numUpdatedRows) === 0) {
			return { ok: false, message: '这个店员还没有设置 PIN' };
		}
		await recordStaffChanges(trx, actor.communityId, [accountId], now);
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'account.staff_unlock',
				subject: `account:${accountId}`,
				summary: `解锁店员 ${found.account.display_name} 在柜台终端上的 PIN`
			},
			now
		);
		return { ok: true };
	});
}

/** 发店员卡: a new staff card when the staff member has no valid one (a lost one: 挂失补卡). */
export async function issueStaffCard(
	db: Kysely<Database>,
	actor: AccountActor,
	accountId: number,
	now: Date = new Date()
): Promise<AccountOutcome<{ cardId: number; serial: number }>> {
	return inTransaction(db, async (trx) => {
		const found = await shopAccount(trx, actor, accountId);
		if (!found.ok) return found;
		const member = await trx
			.selectFrom('staff_members')
			.select('role')
			.where('id', '=', accountId)
			.executeTakeFirst();
		if (!member) return { ok: false, message: '请先设置这个店员的 PIN' };
		const holder = { kind: 'staff' as const, holderId: accountId };
		if (await hasActiveCard(trx, holder)) {
			return { ok: false, message: '这个店员已经有一张有效的店员卡：可以补打，丢了请挂失补卡' };
		}
		const card = await insertCard(trx, actor.communityId, holder, now);
		await recordStaffChanges(trx, actor.communityId, [accountId], now);
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'card.issue',
				subject: `account:${accountId}`,
				summary: `为${STAFF_ROLE_NAMES[member.role as StaffRole]} ${found.account.display_name} 发店员卡（第 ${card.serial} 张）`,
				details: card
			},
			now
		);
		return { ok: true, ...card };
	});
}
