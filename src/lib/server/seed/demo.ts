import type { Insertable, Kysely } from 'kysely';
import { markDemoDatabase } from '../db/installation';
import { chunked } from '../db/chunks';
import type { Database, LedgerEntriesTable, NewStockMovement, ResidentsTable } from '../db/schema';
import { createOfficeAccount } from '../office/accounts';
import { createCommunity } from '../office/communities';
import {
	recordCommunityChange,
	recordItemChanges,
	recordResidentChanges
} from '../sync/change-feed';
import { DEMO_ITEMS, DEMO_RULES, type DemoRule } from './demo-catalogue';
import { seedDemoDisplay } from './demo-display';
import { seedDemoShop } from './demo-shop';
import { pickGivenName, pickSurname, type Sex } from './names';
import { SeededRandom } from './prng';

export const DEMO_COMMUNITY = { slug: 'xingfuli', name: '幸福里社区' } as const;
export const DEMO_FOREIGN_COMMUNITY = { slug: 'hepingli', name: '和平里社区' } as const;
export const DEMO_PASSWORD = 'demo1234';
export const DEMO_ACCOUNTS = {
	admin: { username: 'admin', displayName: '社区管理员', role: 'admin' },
	gridWorker: { username: 'grid', displayName: '网格员小周', role: 'gridWorker' },
	shopkeeper: { username: 'shop', displayName: '店员老陈', role: 'shopkeeper' }
} as const;

const DEMO_SEED = 20240601;
const HISTORY_DAYS = 120;
const DAY_MS = 24 * 3600_000;

/** What the shop and display parts of the demo seed build on. */
export interface DemoExtrasContext {
	communityId: number;
	foreignCommunityId: number;
	now: Date;
	residentIds: number[];
	foreignResidentIds: number[];
	itemIds: number[];
}

export interface DemoSeedSummary {
	communityId: number;
	foreignCommunityId: number;
	households: number;
	residents: number;
	items: number;
	/** Lost the card with serial 1; serial 2 is the active one. */
	reissuedCardResidentId: number;
	/** Lost the only card (serial 1) and has no other. */
	revokedCardResidentId: number;
}

export async function isDatabaseEmpty(db: Kysely<Database>): Promise<boolean> {
	return (
		(await db.selectFrom('communities').select('id').limit(1).executeTakeFirst()) === undefined
	);
}

interface PlannedResident {
	householdIndex: number;
	name: string;
}

/** ~80 households over 6 buildings, labelled like 3栋2单元501. */
function planHouseholds(random: SeededRandom, count: number) {
	const labels: Array<{ building: string; label: string; order: number }> = [];
	for (let building = 1; building <= 6; building++) {
		for (let unit = 1; unit <= 2; unit++) {
			for (let floor = 1; floor <= 6; floor++) {
				for (let room = 1; room <= 2; room++) {
					labels.push({
						building: `${building}栋`,
						label: `${building}栋${unit}单元${floor}0${room}`,
						order: ((building * 10 + unit) * 10 + floor) * 10 + room
					});
				}
			}
		}
	}
	return random
		.shuffle(labels)
		.slice(0, count)
		.sort((a, b) => a.order - b.order);
}

/** Families: a surname per household, a spouse with their own, children with the family's. */
function planResidents(random: SeededRandom, households: number, residents: number) {
	const sizes = new Array<number>(households).fill(1);
	for (let extra = residents - households; extra > 0;) {
		const index = random.int(0, households - 1);
		if (sizes[index]! < 5) {
			sizes[index]! += 1;
			extra -= 1;
		}
	}
	const planned: PlannedResident[] = [];
	sizes.forEach((size, householdIndex) => {
		const familyName = pickSurname(random);
		const headSex: Sex = random.chance(0.5) ? 'male' : 'female';
		for (let member = 0; member < size; member++) {
			const sex: Sex =
				member === 1
					? headSex === 'male'
						? 'female'
						: 'male'
					: random.chance(0.5)
						? 'male'
						: 'female';
			const surname = member === 1 ? pickSurname(random) : familyName;
			planned.push({ householdIndex, name: surname + pickGivenName(random, sex) });
		}
	});
	return planned;
}

type Habit = 'star' | 'active' | 'quiet';

interface HistoryContext {
	random: SeededRandom;
	communityId: number;
	now: Date;
	rules: Array<DemoRule & { id: number }>;
	items: Array<{ id: number; name: string; points: number; stockTracked: boolean }>;
	stockLeft: Map<number, number>;
	officeActorId: string;
	ledger: Array<Insertable<LedgerEntriesTable>>;
	movements: NewStockMovement[];
}

/** A few months of earning, penalties and redemptions for one resident, in time order. */
function simulateHistory(context: HistoryContext, residentId: number): void {
	const { random, now } = context;
	const start = now.getTime() - HISTORY_DAYS * DAY_MS;
	const habit = random.weighted<Habit>([
		['star', 4],
		['active', 40],
		['quiet', 56]
	]);
	const spender = habit !== 'star' && random.chance(0.15);
	const actions =
		habit === 'star'
			? random.int(70, 100)
			: habit === 'active'
				? random.int(20, 45)
				: random.int(4, 14);
	// Business hours in Asia/Shanghai (UTC+8): 08:00–18:00 is 00:00–10:00 UTC.
	const times = Array.from({ length: actions }, () => {
		const day = random.int(1, HISTORY_DAYS - 1);
		return start + day * DAY_MS - (start % DAY_MS) + random.int(0, 10 * 3600 - 1) * 1000;
	}).sort((a, b) => a - b);
	const earnRules = context.rules.filter((rule) => rule.kind === 'earn');
	const penaltyRules = context.rules.filter((rule) => rule.kind === 'penalty');
	const entry = (points: number, at: number, extra: Partial<Insertable<LedgerEntriesTable>>) =>
		context.ledger.push({
			community_id: context.communityId,
			resident_id: residentId,
			points,
			reason: 'earn',
			actor_kind: 'office_account',
			actor_id: context.officeActorId,
			occurred_at: new Date(at).toISOString(),
			recorded_at: new Date(at + random.int(5, 600) * 1000).toISOString(),
			...extra
		});

	let balance = random.int(0, 12) * 5;
	if (balance > 0) entry(balance, start, { reason: 'opening', note: '纸质台账结转' });
	for (const at of times.filter((time) => time < now.getTime() - 3600_000)) {
		if (random.chance(habit === 'star' ? 0.03 : 0.12)) {
			const rule = random.weighted(penaltyRules.map((r) => [r, r.weight] as const));
			if (balance + rule.points < 0) continue;
			balance += rule.points;
			entry(rule.points, at, { reason: 'penalty', rule_id: rule.id });
			continue;
		}
		const rule = random.weighted(
			earnRules.map(
				(r) => [r, habit === 'star' && r.points >= 5 ? r.weight * 4 : r.weight] as const
			)
		);
		balance += rule.points;
		entry(rule.points, at, { reason: 'earn', rule_id: rule.id });
		if (habit === 'star' || !random.chance(spender ? 0.5 : 0.06)) continue;
		const affordable = context.items.filter(
			(item) =>
				item.points <= balance && (!item.stockTracked || (context.stockLeft.get(item.id) ?? 0) > 0)
		);
		if (affordable.length === 0) continue;
		const item = spender
			? affordable.reduce((best, candidate) => (candidate.points > best.points ? candidate : best))
			: random.pick(affordable);
		const redeemedAt = at + random.int(1, 48) * 3600_000;
		if (redeemedAt > now.getTime()) continue;
		balance -= item.points;
		entry(-item.points, redeemedAt, {
			reason: 'redemption',
			note: `兑换 ${item.name} ×1`,
			actor_kind: 'system',
			actor_id: 'demo-history'
		});
		if (item.stockTracked) {
			context.stockLeft.set(item.id, context.stockLeft.get(item.id)! - 1);
			context.movements.push({
				community_id: context.communityId,
				item_id: item.id,
				kind: 'redeemed',
				quantity: -1,
				actor_kind: 'system',
				actor_id: 'demo-history',
				occurred_at: new Date(redeemedAt).toISOString(),
				recorded_at: new Date(redeemedAt).toISOString()
			});
		}
	}
}

async function insertResidents(
	db: Kysely<Database>,
	communityId: number,
	households: Array<{ building: string; label: string }>,
	planned: PlannedResident[],
	now: Date
): Promise<number[]> {
	const householdIds: number[] = [];
	for (const rows of chunked(households, 200)) {
		const inserted = await db
			.insertInto('households')
			.values(
				rows.map((h) => ({ community_id: communityId, building: h.building, label: h.label }))
			)
			.returning('id')
			.execute();
		householdIds.push(...inserted.map((row) => row.id).sort((a, b) => a - b));
	}
	const residentIds: number[] = [];
	for (const rows of chunked(planned, 200)) {
		const values: Array<Insertable<ResidentsTable>> = rows.map((resident) => ({
			community_id: communityId,
			household_id: householdIds[resident.householdIndex]!,
			name: resident.name,
			active: 1,
			created_at: now.toISOString()
		}));
		const inserted = await db.insertInto('residents').values(values).returning('id').execute();
		residentIds.push(...inserted.map((row) => row.id).sort((a, b) => a - b));
	}
	for (const ids of chunked(residentIds, 200)) {
		await db
			.insertInto('cards')
			.values(
				ids.map((residentId) => ({
					community_id: communityId,
					kind: 'resident' as const,
					resident_id: residentId,
					serial: 1,
					issued_at: now.toISOString()
				}))
			)
			.execute();
	}
	return residentIds;
}

/**
 * Seeds the demo: 幸福里社区 (id 1) with ~200 residents in ~80 households across 6 buildings,
 * ~30 items, rules, a few months of ledger history and two lost cards; and 和平里社区 (id 2) with
 * a few residents, for trying a card of another community. Same data on every run.
 * Call it on an empty database only.
 */
export async function seedDemo(
	db: Kysely<Database>,
	options: { now?: Date; residents?: number; households?: number } = {}
): Promise<DemoSeedSummary> {
	const now = options.now ?? new Date();
	const random = new SeededRandom(DEMO_SEED);
	const householdCount = options.households ?? 80;
	const residentCount = options.residents ?? 200;
	const historyStart = new Date(now.getTime() - HISTORY_DAYS * DAY_MS).toISOString();

	return db.transaction().execute(async (trx) => {
		await markDemoDatabase(trx);
		const communityId = await createCommunity(trx, DEMO_COMMUNITY, now);
		const foreignCommunityId = await createCommunity(trx, DEMO_FOREIGN_COMMUNITY, now);
		const accountIds: Record<string, number> = {};
		for (const [key, account] of Object.entries(DEMO_ACCOUNTS)) {
			accountIds[key] = await createOfficeAccount(
				trx,
				{ communityId, ...account, password: DEMO_PASSWORD },
				now
			);
		}

		const households = planHouseholds(random, householdCount);
		const planned = planResidents(random, householdCount, residentCount);
		const residentIds = await insertResidents(trx, communityId, households, planned, now);

		const rules: HistoryContext['rules'] = [];
		for (const [index, rule] of DEMO_RULES.entries()) {
			const row = await trx
				.insertInto('point_rules')
				.values({
					community_id: communityId,
					kind: rule.kind,
					name: rule.name,
					points: rule.points,
					active: 1,
					sort_order: index
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			rules.push({ ...rule, id: row.id });
		}
		// Kiosks show the first earn rules from the community's snapshot.
		await recordCommunityChange(trx, communityId, now);

		const items: HistoryContext['items'] = [];
		const movements: NewStockMovement[] = [];
		const stockLeft = new Map<number, number>();
		const adminActor = String(accountIds.admin);
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
					created_at: now.toISOString()
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.updateTable('items')
				.set({ image_url: `/demo/items/${row.id}.svg` })
				.where('id', '=', row.id)
				.execute();
			items.push({
				id: row.id,
				name: item.name,
				points: item.points,
				stockTracked: item.openingStock !== null
			});
			if (item.openingStock) {
				stockLeft.set(row.id, item.openingStock);
				movements.push({
					community_id: communityId,
					item_id: row.id,
					kind: 'received',
					quantity: item.openingStock,
					actor_kind: 'office_account',
					actor_id: adminActor,
					occurred_at: historyStart,
					recorded_at: historyStart
				});
			}
		}

		// Items that are out of stock today must stay so: the history may not sell the last ones.
		const history: HistoryContext = {
			random,
			communityId,
			now,
			rules,
			items: items.filter((item) => !item.stockTracked || (stockLeft.get(item.id) ?? 0) > 2),
			stockLeft,
			officeActorId: String(accountIds.gridWorker),
			ledger: [],
			movements
		};
		for (const residentId of residentIds) simulateHistory(history, residentId);
		for (const rows of chunked(history.ledger, 200)) {
			await trx.insertInto('ledger_entries').values(rows).execute();
		}
		for (const rows of chunked(movements, 200)) {
			await trx.insertInto('stock_movements').values(rows).execute();
		}

		// Two lost cards: one resident got a new card (serial 2), one has no usable card at all.
		const reissuedCardResidentId = residentIds[2]!;
		const revokedCardResidentId = residentIds[6]!;
		const lostAt = new Date(now.getTime() - 10 * DAY_MS).toISOString();
		await trx
			.updateTable('cards')
			.set({ revoked_at: lostAt })
			.where('resident_id', 'in', [reissuedCardResidentId, revokedCardResidentId])
			.where('serial', '=', 1)
			.execute();
		await trx
			.insertInto('cards')
			.values({
				community_id: communityId,
				kind: 'resident',
				resident_id: reissuedCardResidentId,
				serial: 2,
				issued_at: lostAt
			})
			.execute();

		const foreignHouseholds = [
			{ building: '1栋', label: '1栋1单元101' },
			{ building: '1栋', label: '1栋1单元302' },
			{ building: '2栋', label: '2栋2单元201' }
		];
		const foreignPlanned = planResidents(random, foreignHouseholds.length, 5);
		const foreignIds = await insertResidents(
			trx,
			foreignCommunityId,
			foreignHouseholds,
			foreignPlanned,
			now
		);
		await trx
			.insertInto('ledger_entries')
			.values(
				foreignIds.map((residentId) => ({
					community_id: foreignCommunityId,
					resident_id: residentId,
					points: 20,
					reason: 'opening' as const,
					note: '纸质台账结转',
					actor_kind: 'system' as const,
					actor_id: 'demo-seed',
					occurred_at: historyStart,
					recorded_at: historyStart
				}))
			)
			.execute();

		await recordResidentChanges(trx, communityId, residentIds, now);
		await recordItemChanges(
			trx,
			communityId,
			items.map((item) => item.id),
			now
		);
		await recordResidentChanges(trx, foreignCommunityId, foreignIds, now);

		const extras: DemoExtrasContext = {
			communityId,
			foreignCommunityId,
			now,
			residentIds,
			foreignResidentIds: foreignIds,
			itemIds: items.map((item) => item.id)
		};
		await seedDemoShop(trx, extras);
		await seedDemoDisplay(trx, extras);

		return {
			communityId,
			foreignCommunityId,
			households: households.length,
			residents: residentIds.length,
			items: items.length,
			reissuedCardResidentId,
			revokedCardResidentId
		};
	});
}
