import type { Kysely } from 'kysely';
import { chunked } from '../db/chunks';
import type { Database } from '../db/schema';
import { createCommunity } from '../office/communities';
import { recordChanges, type EntityChange } from '../sync/change-feed';
import { itemSnapshot, residentSnapshot } from '../sync/snapshots';
import { DEMO_ITEMS } from './demo-catalogue';
import { pickGivenName, pickSurname } from './names';
import { SeededRandom } from './prng';

export interface LargeCommunityOptions {
	residents: number;
	/** Defaults to `bench-<residents>`; must not exist yet. */
	slug?: string;
	name?: string;
	seed?: number;
	now?: Date;
}

export interface LargeCommunitySummary {
	communityId: number;
	households: number;
	residents: number;
	items: number;
	/** Resident ids, in order; each has one active card with serial 1. */
	residentIds: number[];
	itemIds: number[];
}

const ROWS_PER_INSERT = 500;

/**
 * A community of any size for benchmarks: households of ~2.5 residents, one card and one
 * opening ledger entry per resident, the demo catalogue with plenty of stock, and the change
 * feed filled. One transaction and multi-row inserts keep 100,000 residents to a few seconds.
 */
export async function seedLargeCommunity(
	db: Kysely<Database>,
	options: LargeCommunityOptions
): Promise<LargeCommunitySummary> {
	const now = options.now ?? new Date();
	const at = now.toISOString();
	const random = new SeededRandom(options.seed ?? 7);
	const slug = options.slug ?? `bench-${options.residents}`;
	const householdCount = Math.max(1, Math.round(options.residents / 2.5));

	return db.transaction().execute(async (trx) => {
		const communityId = await createCommunity(
			trx,
			{ slug, name: options.name ?? `压力测试社区（${options.residents} 人）` },
			now
		);

		const households = Array.from({ length: householdCount }, (_, index) => {
			const building = Math.floor(index / 48) + 1;
			const unit = Math.floor((index % 48) / 24) + 1;
			const floor = Math.floor((index % 24) / 2) + 1;
			const room = (index % 2) + 1;
			return { building: `${building}栋`, label: `${building}栋${unit}单元${floor}0${room}` };
		});
		const householdIds: number[] = [];
		for (const rows of chunked(households, ROWS_PER_INSERT)) {
			const inserted = await trx
				.insertInto('households')
				.values(rows.map((h) => ({ community_id: communityId, ...h })))
				.returning('id')
				.execute();
			householdIds.push(...inserted.map((row) => row.id).sort((a, b) => a - b));
		}

		const residents = Array.from({ length: options.residents }, (_, index) => ({
			householdIndex: index % householdCount,
			name: pickSurname(random) + pickGivenName(random, random.chance(0.5) ? 'male' : 'female'),
			balance: random.int(0, 400)
		}));
		const residentIds: number[] = [];
		for (const rows of chunked(residents, ROWS_PER_INSERT)) {
			const inserted = await trx
				.insertInto('residents')
				.values(
					rows.map((r) => ({
						community_id: communityId,
						household_id: householdIds[r.householdIndex]!,
						name: r.name,
						active: 1 as const,
						created_at: at
					}))
				)
				.returning('id')
				.execute();
			residentIds.push(...inserted.map((row) => row.id).sort((a, b) => a - b));
		}
		for (const ids of chunked(residentIds, ROWS_PER_INSERT)) {
			await trx
				.insertInto('cards')
				.values(
					ids.map((residentId) => ({
						community_id: communityId,
						kind: 'resident' as const,
						resident_id: residentId,
						serial: 1,
						issued_at: at
					}))
				)
				.execute();
		}
		for (const indexes of chunked([...residentIds.keys()], ROWS_PER_INSERT)) {
			await trx
				.insertInto('ledger_entries')
				.values(
					indexes.map((index) => ({
						community_id: communityId,
						resident_id: residentIds[index]!,
						points: residents[index]!.balance,
						reason: 'opening' as const,
						note: '压力测试开户积分',
						actor_kind: 'system' as const,
						actor_id: 'bench-seed',
						occurred_at: at,
						recorded_at: at
					}))
				)
				.execute();
		}

		const itemIds: number[] = [];
		const changes: EntityChange[] = [];
		for (const [index, item] of DEMO_ITEMS.entries()) {
			const row = await trx
				.insertInto('items')
				.values({
					community_id: communityId,
					name: item.name,
					category: item.category,
					kind: item.kind,
					points: item.points,
					stock_tracked: item.openingStock === null ? 0 : 1,
					active: 1,
					sort_order: index,
					created_at: at
				})
				.returningAll()
				.executeTakeFirstOrThrow();
			const stock = item.openingStock === null ? 0 : 100_000;
			if (item.openingStock !== null) {
				await trx
					.insertInto('stock_movements')
					.values({
						community_id: communityId,
						item_id: row.id,
						kind: 'received',
						quantity: stock,
						actor_kind: 'system',
						actor_id: 'bench-seed',
						occurred_at: at,
						recorded_at: at
					})
					.execute();
			}
			itemIds.push(row.id);
			changes.push({ entity: 'item', entityId: row.id, data: itemSnapshot(row, stock) });
		}

		residentIds.forEach((id, index) => {
			const resident = residents[index]!;
			const household = households[resident.householdIndex]!;
			changes.push({
				entity: 'resident',
				entityId: id,
				data: residentSnapshot({
					id,
					name: resident.name,
					household: household.label,
					building: household.building,
					balance: resident.balance,
					cards: [{ serial: 1, revoked: false }],
					active: true
				})
			});
		});
		await recordChanges(trx, communityId, changes, now);

		return {
			communityId,
			households: householdCount,
			residents: residentIds.length,
			items: itemIds.length,
			residentIds,
			itemIds
		};
	});
}
