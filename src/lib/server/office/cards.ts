import type { Kysely } from 'kysely';
import { DEFAULT_TIME_ZONE } from '$lib/domain/business-date';
import { officeTime } from '$lib/office/office-time';
import type { CardKind, Database } from '../db/schema';
import { inTransaction } from '../db/transactions';
import { recordResidentChanges, recordStaffChanges } from '../sync/change-feed';
import { recordAudit } from './audit';
import { residentRow } from './residents';

/*
 * 积分卡 in the office: issuing a resident's card, reporting one lost (revoke and replace in one
 * transaction), and issuing cards for a whole building. Every change writes its audit row and
 * puts the resident (or staff member) on the change feed in the same transaction, so a kiosk's
 * next pull refuses the old serial and knows the new one.
 */

/** Who acts: the signed-in office account (routes pass the session). */
export interface CardActor {
	communityId: number;
	accountId: number;
}

export type CardOutcome<T> = ({ ok: true } & T) | { ok: false; message: string };

export const LOST_REASON_MAX_LENGTH = 100;

export interface ResidentCardRow {
	id: number;
	serial: number;
	issuedAt: string;
	revokedAt: string | null;
	revokedReason: string | null;
	revokedByName: string | null;
}

export interface ResidentForCard {
	id: number;
	name: string;
	active: number;
	household: string;
	building: string;
}

/** A resident of the community with their household, moved out or not. */
export function residentForCard(
	db: Kysely<Database>,
	communityId: number,
	residentId: number
): Promise<ResidentForCard | undefined> {
	return residentRow(db, communityId, residentId);
}

/** A resident's cards, newest first, with who revoked a lost one and why. */
export async function listResidentCards(
	db: Kysely<Database>,
	communityId: number,
	residentId: number
): Promise<ResidentCardRow[]> {
	return db
		.selectFrom('cards')
		.leftJoin('office_accounts', 'office_accounts.id', 'cards.revoked_by_account_id')
		.select([
			'cards.id',
			'cards.serial',
			'cards.issued_at as issuedAt',
			'cards.revoked_at as revokedAt',
			'cards.revoked_reason as revokedReason',
			'office_accounts.display_name as revokedByName'
		])
		.where('cards.community_id', '=', communityId)
		.where('cards.kind', '=', 'resident')
		.where('cards.resident_id', '=', residentId)
		.orderBy('cards.serial', 'desc')
		.execute() as Promise<ResidentCardRow[]>;
}

/** The next serial of a holder's cards: one more than any card they ever had. */
async function nextSerial(
	db: Kysely<Database>,
	holder: { kind: CardKind; holderId: number }
): Promise<number> {
	const column = holder.kind === 'resident' ? 'resident_id' : 'office_account_id';
	const row = await db
		.selectFrom('cards')
		.select(({ fn }) => fn.max<number | null>('serial').as('serial'))
		.where('kind', '=', holder.kind)
		.where(column, '=', holder.holderId)
		.executeTakeFirst();
	return (row?.serial ?? 0) + 1;
}

export async function insertCard(
	db: Kysely<Database>,
	communityId: number,
	holder: { kind: CardKind; holderId: number },
	now: Date
): Promise<{ cardId: number; serial: number }> {
	const serial = await nextSerial(db, holder);
	const row = await db
		.insertInto('cards')
		.values({
			community_id: communityId,
			kind: holder.kind,
			resident_id: holder.kind === 'resident' ? holder.holderId : null,
			office_account_id: holder.kind === 'staff' ? holder.holderId : null,
			serial,
			issued_at: now.toISOString()
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return { cardId: row.id, serial };
}

export async function hasActiveCard(
	db: Kysely<Database>,
	holder: { kind: CardKind; holderId: number }
): Promise<boolean> {
	const column = holder.kind === 'resident' ? 'resident_id' : 'office_account_id';
	const row = await db
		.selectFrom('cards')
		.select('id')
		.where('kind', '=', holder.kind)
		.where(column, '=', holder.holderId)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	return row !== undefined;
}

function residentLabel(resident: { name: string; household: string }): string {
	return `${resident.name}（${resident.household}）`;
}

/**
 * 发卡: a new card (the next serial) for a resident who lives here and has no valid card. A
 * second valid card is refused: the kiosk would take the higher serial as the only valid one.
 */
export async function issueResidentCard(
	db: Kysely<Database>,
	actor: CardActor,
	residentId: number,
	now: Date = new Date()
): Promise<CardOutcome<{ cardId: number; serial: number }>> {
	return inTransaction(db, async (trx) => {
		const resident = await residentForCard(trx, actor.communityId, residentId);
		if (!resident) return { ok: false, message: '没有找到这位居民' };
		if (resident.active !== 1) return { ok: false, message: '这位居民已迁出，不能发卡' };
		const holder = { kind: 'resident' as const, holderId: resident.id };
		if (await hasActiveCard(trx, holder)) {
			return { ok: false, message: '这位居民已经有一张有效的卡：可以补打，丢了请挂失补卡' };
		}
		const card = await insertCard(trx, actor.communityId, holder, now);
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'card.issue',
				subject: `resident:${resident.id}`,
				summary: `为 ${residentLabel(resident)} 发卡（第 ${card.serial} 张）`,
				details: { cardId: card.cardId, serial: card.serial }
			},
			now
		);
		await recordResidentChanges(trx, actor.communityId, [resident.id], now);
		return { ok: true, ...card };
	});
}

export interface LostCardReport {
	cardId: number;
	reason: string;
	/**
	 * False: 挂失 only, no new card now (the resident comes for one later: 发卡). The office's
	 * pages always replace; the demo seed uses it for its resident without a usable card.
	 */
	replace?: boolean;
}

/**
 * 挂失并补卡: revokes the card (reason, time, who) and issues the replacement in one
 * transaction. The revocation is a conditional update, so of two admins pressing at once exactly
 * one revokes and replaces; the other is told the card was already reported lost. A resident who
 * moved out (or a deactivated staff account) gets no replacement.
 */
export async function reportCardLost(
	db: Kysely<Database>,
	actor: CardActor,
	report: LostCardReport,
	now: Date = new Date()
): Promise<CardOutcome<{ replacement: { cardId: number; serial: number } | null }>> {
	const reason = report.reason.trim();
	if (!reason) return { ok: false, message: '请写明挂失原因' };
	if (reason.length > LOST_REASON_MAX_LENGTH) {
		return { ok: false, message: `挂失原因最多 ${LOST_REASON_MAX_LENGTH} 个字` };
	}
	return inTransaction(db, async (trx) => {
		const card = await trx
			.selectFrom('cards')
			.selectAll()
			.where('id', '=', report.cardId)
			.where('community_id', '=', actor.communityId)
			.executeTakeFirst();
		if (!card) return { ok: false, message: '没有找到这张卡' };
		const revoked = await trx
			.updateTable('cards')
			.set({
				revoked_at: now.toISOString(),
				revoked_reason: reason,
				revoked_by_account_id: actor.accountId
			})
			.where('id', '=', card.id)
			.where('revoked_at', 'is', null)
			.executeTakeFirst();
		if (Number(revoked.numUpdatedRows) === 0) {
			return { ok: false, message: await alreadyRevokedMessage(trx, card.id) };
		}

		const holder =
			card.kind === 'resident'
				? { kind: 'resident' as const, holderId: card.resident_id! }
				: { kind: 'staff' as const, holderId: card.office_account_id! };
		const { label, active } = await holderFacts(trx, actor.communityId, holder);
		const replacement =
			active && report.replace !== false
				? await insertCard(trx, actor.communityId, holder, now)
				: null;
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: replacement ? 'card.replace' : 'card.revoke',
				subject:
					holder.kind === 'resident' ? `resident:${holder.holderId}` : `account:${holder.holderId}`,
				summary: replacement
					? `挂失 ${label} 的第 ${card.serial} 张卡（${reason}），补发第 ${replacement.serial} 张`
					: `挂失 ${label} 的第 ${card.serial} 张卡（${reason}）`,
				details: { cardId: card.id, serial: card.serial, reason, replacement }
			},
			now
		);
		if (holder.kind === 'resident') {
			await recordResidentChanges(trx, actor.communityId, [holder.holderId], now);
		} else {
			await recordStaffChanges(trx, actor.communityId, [holder.holderId], now);
		}
		return { ok: true, replacement };
	});
}

async function alreadyRevokedMessage(db: Kysely<Database>, cardId: number): Promise<string> {
	const row = await db
		.selectFrom('cards')
		.innerJoin('communities', 'communities.id', 'cards.community_id')
		.leftJoin('office_accounts', 'office_accounts.id', 'cards.revoked_by_account_id')
		.select(['cards.revoked_at', 'office_accounts.display_name', 'communities.time_zone'])
		.where('cards.id', '=', cardId)
		.executeTakeFirst();
	const by = row?.display_name ? `由 ${row.display_name} ` : '';
	const when = officeTime(row?.revoked_at ?? null, row?.time_zone ?? DEFAULT_TIME_ZONE);
	return `这张卡已经${by}在 ${when} 挂失了，没有再挂失一次；请看页面上现在的卡`;
}

async function holderFacts(
	db: Kysely<Database>,
	communityId: number,
	holder: { kind: CardKind; holderId: number }
): Promise<{ label: string; active: boolean }> {
	if (holder.kind === 'resident') {
		const resident = await residentForCard(db, communityId, holder.holderId);
		return {
			label: resident ? residentLabel(resident) : `居民 ${holder.holderId}`,
			active: resident?.active === 1
		};
	}
	const account = await db
		.selectFrom('office_accounts')
		.select(['display_name', 'active'])
		.where('id', '=', holder.holderId)
		.executeTakeFirst();
	return {
		label: `店员 ${account?.display_name ?? holder.holderId}`,
		active: account?.active === 1
	};
}

/**
 * 为没有卡的居民发卡: one new card for every resident of the building who lives here and has no
 * valid card; one audit row for the whole building. Answers the new cards' ids (for printing).
 */
export async function issueCardsForBuilding(
	db: Kysely<Database>,
	actor: CardActor,
	building: string,
	now: Date = new Date()
): Promise<CardOutcome<{ cardIds: number[] }>> {
	const name = building.trim();
	if (!name) return { ok: false, message: '请选择楼栋' };
	return inTransaction(db, async (trx) => {
		const residents = await trx
			.selectFrom('residents')
			.innerJoin('households', 'households.id', 'residents.household_id')
			.select(['residents.id'])
			.where('residents.community_id', '=', actor.communityId)
			.where('households.building', '=', name)
			.where('residents.active', '=', 1)
			.where(({ not, exists, selectFrom }) =>
				not(
					exists(
						selectFrom('cards')
							.select('cards.id')
							.whereRef('cards.resident_id', '=', 'residents.id')
							.where('cards.kind', '=', 'resident')
							.where('cards.revoked_at', 'is', null)
					)
				)
			)
			.orderBy('households.label')
			.orderBy('residents.id')
			.execute();
		if (residents.length === 0) {
			return { ok: false, message: `${name} 的居民都已经有卡了` };
		}
		const cardIds: number[] = [];
		for (const resident of residents) {
			const card = await insertCard(
				trx,
				actor.communityId,
				{ kind: 'resident', holderId: resident.id },
				now
			);
			cardIds.push(card.cardId);
		}
		const residentIds = residents.map((resident) => resident.id);
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'card.bulk_issue',
				subject: `building:${name}`,
				summary: `为 ${name} 没有卡的 ${residents.length} 位居民发卡`,
				details: { residentIds, cardIds }
			},
			now
		);
		await recordResidentChanges(trx, actor.communityId, residentIds, now);
		return { ok: true, cardIds };
	});
}

/** The buildings of the community, for the bulk form. */
export async function listBuildings(db: Kysely<Database>, communityId: number): Promise<string[]> {
	const rows = await db
		.selectFrom('households')
		.select('building')
		.distinct()
		.where('community_id', '=', communityId)
		.orderBy('building')
		.execute();
	return rows.map((row) => row.building);
}

/**
 * 补打: records that valid cards were printed again (the same credential: nothing else changes).
 * Refuses revoked cards: a lost card must not come back on paper.
 */
export async function recordCardReprint(
	db: Kysely<Database>,
	actor: CardActor,
	cardId: number,
	now: Date = new Date()
): Promise<CardOutcome<{ cardId: number }>> {
	return db.transaction().execute(async (trx) => {
		const card = await trx
			.selectFrom('cards')
			.selectAll()
			.where('id', '=', cardId)
			.where('community_id', '=', actor.communityId)
			.executeTakeFirst();
		if (!card) return { ok: false, message: '没有找到这张卡' };
		if (card.revoked_at !== null) return { ok: false, message: '这张卡已挂失，不能再打印' };
		const holder =
			card.kind === 'resident'
				? { kind: 'resident' as const, holderId: card.resident_id! }
				: { kind: 'staff' as const, holderId: card.office_account_id! };
		const { label } = await holderFacts(trx, actor.communityId, holder);
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'card.reprint',
				subject:
					holder.kind === 'resident' ? `resident:${holder.holderId}` : `account:${holder.holderId}`,
				summary: `补打 ${label} 的第 ${card.serial} 张卡`,
				details: { cardId: card.id, serial: card.serial }
			},
			now
		);
		return { ok: true, cardId: card.id };
	});
}
