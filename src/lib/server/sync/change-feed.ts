import type { Kysely } from 'kysely';
import {
	KIOSK_EARN_RULES,
	type CommunitySnapshot,
	type EarnRuleSummary,
	type ItemSnapshot,
	type ResidentSnapshot,
	type StaffSnapshot
} from '$lib/protocol/sync';
import { chunked } from '../db/chunks';
import type { ChangeEntity, Database } from '../db/schema';
import { itemStocks, residentBalances } from '../ledger/balances';
import {
	communitySnapshot,
	itemSnapshot,
	residentSnapshot,
	staffSnapshot,
	type ResidentFacts
} from './snapshots';

/*
 * The change feed holds one row per entity: its latest snapshot under the sequence number of its
 * latest change. A change replaces the entity's row with a new one (a new, higher seq), so a pull
 * after any cursor reads each changed entity once and never a superseded row, and a first pull of
 * 100,000 residents reads 100,000 rows however often their balances moved. Nothing runs in the
 * background. Call these inside the transaction that made the change, so the feed never shows a
 * state the tables do not have.
 */

export type EntityChange =
	| { entity: 'community'; entityId: number; data: CommunitySnapshot }
	| { entity: 'resident'; entityId: number; data: ResidentSnapshot }
	| { entity: 'item'; entityId: number; data: ItemSnapshot }
	| { entity: 'staff'; entityId: number; data: StaffSnapshot };

export function changeKey(entity: ChangeEntity, entityId: number): string {
	return `${entity}:${entityId}`;
}

/**
 * Replaces each entity's feed row with its new snapshot under a new sequence number, and answers
 * the number each one got, by `changeKey`. The last snapshot of an entity named twice wins.
 */
export async function recordChanges(
	db: Kysely<Database>,
	communityId: number,
	changes: readonly EntityChange[],
	now: Date
): Promise<Map<string, number>> {
	const latest = new Map(
		changes.map((change) => [changeKey(change.entity, change.entityId), change])
	);
	const seqs = new Map<string, number>();
	const recordedAt = now.toISOString();
	const byEntity = new Map<ChangeEntity, EntityChange[]>();
	for (const change of latest.values()) {
		byEntity.set(change.entity, [...(byEntity.get(change.entity) ?? []), change]);
	}
	for (const [entity, entityChanges] of byEntity) {
		for (const batch of chunked(entityChanges, 200)) {
			await db
				.deleteFrom('changes')
				.where('community_id', '=', communityId)
				.where('entity', '=', entity)
				.where(
					'entity_id',
					'in',
					batch.map((change) => change.entityId)
				)
				.execute();
			const written = await db
				.insertInto('changes')
				.values(
					batch.map((change) => ({
						community_id: communityId,
						entity: change.entity,
						entity_id: change.entityId,
						data: JSON.stringify(change.data),
						recorded_at: recordedAt
					}))
				)
				.returning(['seq', 'entity', 'entity_id'])
				.execute();
			for (const row of written) seqs.set(changeKey(row.entity, row.entity_id), row.seq);
		}
	}
	return seqs;
}

/** Everything a resident snapshot needs, balance included, for residents of one community. */
export async function loadResidentFacts(
	db: Kysely<Database>,
	communityId: number,
	residentIds: readonly number[]
): Promise<Map<number, ResidentFacts>> {
	const facts = new Map<number, ResidentFacts>();
	const unique = [...new Set(residentIds)];
	const balances = await residentBalances(db, unique);
	for (const ids of chunked(unique)) {
		const residents = await db
			.selectFrom('residents')
			.innerJoin('households', 'households.id', 'residents.household_id')
			.select([
				'residents.id',
				'residents.name',
				'residents.active',
				'households.label as household',
				'households.building'
			])
			.where('residents.community_id', '=', communityId)
			.where('residents.id', 'in', ids)
			.execute();
		for (const resident of residents) {
			facts.set(resident.id, {
				...resident,
				active: resident.active === 1,
				balance: balances.get(resident.id) ?? 0,
				cards: []
			});
		}
		const cards = await db
			.selectFrom('cards')
			.select(['resident_id', 'serial', 'revoked_at'])
			.where('kind', '=', 'resident')
			.where('resident_id', 'in', ids)
			.execute();
		for (const card of cards) {
			const resident = card.resident_id === null ? undefined : facts.get(card.resident_id);
			if (resident) {
				resident.cards = [
					...resident.cards,
					{ serial: card.serial, revoked: card.revoked_at !== null }
				];
			}
		}
	}
	return facts;
}

/** The residents' current snapshots, read from the tables (balances from the ledger). */
export async function residentChanges(
	db: Kysely<Database>,
	communityId: number,
	residentIds: readonly number[]
): Promise<EntityChange[]> {
	const facts = await loadResidentFacts(db, communityId, residentIds);
	return [...facts.values()].map((resident) => ({
		entity: 'resident',
		entityId: resident.id,
		data: residentSnapshot(resident)
	}));
}

export async function recordResidentChanges(
	db: Kysely<Database>,
	communityId: number,
	residentIds: readonly number[],
	now: Date
): Promise<Map<string, number>> {
	return recordChanges(db, communityId, await residentChanges(db, communityId, residentIds), now);
}

export async function recordItemChanges(
	db: Kysely<Database>,
	communityId: number,
	itemIds: readonly number[],
	now: Date
): Promise<Map<string, number>> {
	return recordChanges(db, communityId, await itemChanges(db, communityId, itemIds), now);
}

/** The items' current snapshots, read from the tables (stock from the movement log). */
export async function itemChanges(
	db: Kysely<Database>,
	communityId: number,
	itemIds: readonly number[]
): Promise<EntityChange[]> {
	const changes: EntityChange[] = [];
	const stocks = await itemStocks(db, itemIds);
	for (const ids of chunked([...new Set(itemIds)])) {
		const items = await db
			.selectFrom('items')
			.selectAll()
			.where('community_id', '=', communityId)
			.where('id', 'in', ids)
			.execute();
		for (const item of items) {
			changes.push({
				entity: 'item',
				entityId: item.id,
				data: itemSnapshot(item, stocks.get(item.id) ?? 0)
			});
		}
	}
	return changes;
}

/** Staff snapshots (name, shop role, PIN hash, card serials) of one community. */
export async function staffChanges(
	db: Kysely<Database>,
	communityId: number,
	staffIds: readonly number[]
): Promise<EntityChange[]> {
	const changes: EntityChange[] = [];
	for (const ids of chunked([...new Set(staffIds)])) {
		const members = await db
			.selectFrom('staff_members')
			.innerJoin('office_accounts', 'office_accounts.id', 'staff_members.id')
			.selectAll('staff_members')
			.select(['office_accounts.display_name as name', 'office_accounts.active as accountActive'])
			.where('staff_members.community_id', '=', communityId)
			.where('staff_members.id', 'in', ids)
			.execute();
		const cards = await db
			.selectFrom('cards')
			.select(['office_account_id', 'serial', 'revoked_at'])
			.where('kind', '=', 'staff')
			.where('community_id', '=', communityId)
			.where('office_account_id', 'in', ids)
			.execute();
		for (const member of members) {
			changes.push({
				entity: 'staff',
				entityId: member.id,
				data: staffSnapshot(
					{ ...member, active: (member.active && member.accountActive) as 0 | 1 },
					member.name,
					cards
						.filter((card) => card.office_account_id === member.id)
						.map((card) => ({ serial: card.serial, revoked: card.revoked_at !== null }))
				)
			});
		}
	}
	return changes;
}

export async function recordStaffChanges(
	db: Kysely<Database>,
	communityId: number,
	staffIds: readonly number[],
	now: Date
): Promise<Map<string, number>> {
	return recordChanges(db, communityId, await staffChanges(db, communityId, staffIds), now);
}

export async function recordCommunityChange(
	db: Kysely<Database>,
	communityId: number,
	now: Date
): Promise<Map<string, number>> {
	const community = await db
		.selectFrom('communities')
		.selectAll()
		.where('id', '=', communityId)
		.executeTakeFirstOrThrow();
	const data = communitySnapshot(community, await readKioskEarnRules(db, communityId));
	return recordChanges(
		db,
		communityId,
		[{ entity: 'community', entityId: communityId, data }],
		now
	);
}

/**
 * The points list's first active earn rules, in the office's order (the lobby TV's order too):
 * what the counter shows a resident who is short of points.
 */
export async function readKioskEarnRules(
	db: Kysely<Database>,
	communityId: number
): Promise<EarnRuleSummary[]> {
	return db
		.selectFrom('point_rules')
		.select(['name', 'points'])
		.where('community_id', '=', communityId)
		.where('kind', '=', 'earn')
		.where('active', '=', 1)
		.orderBy('sort_order')
		.orderBy('id')
		.limit(KIOSK_EARN_RULES)
		.execute();
}
