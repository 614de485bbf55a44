import type { Kysely } from 'kysely';
import { markDemoDatabase } from '../db/installation';
import type { Database } from '../db/schema';
import { createAccount } from '../office/account-management';
import { createOfficeAccount } from '../office/accounts';
import { createCommunity } from '../office/communities';
import { recordItemChanges, recordResidentChanges } from '../sync/change-feed';
import { seedDemoDisplay } from './demo-display';
import {
	historyStart,
	planResidentHistory,
	writeHistory,
	type HistoryPlanContext
} from './demo-history';
import { expectOk } from './demo-outcome';
import {
	importDemoResidents,
	issueDemoCards,
	planHouseholds,
	planResidents,
	reportDemoLostCards
} from './demo-people';
import { seedDemoItems, seedDemoRules } from './demo-rules-and-items';
import { DEMO_FOREIGN_ADMIN, seedDemoShop } from './demo-shop';
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
const DAY_MS = 24 * 3600_000;
/** The last days of the history, recorded by the 网格员 and approved by the admin. */
const GRID_WORKER_DAYS = 30;

/** What the shop and display parts of the demo seed build on. */
export interface DemoExtrasContext {
	communityId: number;
	foreignCommunityId: number;
	now: Date;
	/** When the community was set up, at the start of the history. */
	setUpAt: Date;
	adminAccountId: number;
	foreignAdminAccountId: number;
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
	// The office was set up when the history starts: accounts, residents, cards, lists, goods.
	const setUpAt = historyStart(now);

	return db.transaction().execute(async (trx) => {
		await markDemoDatabase(trx);
		const communityId = await createCommunity(trx, DEMO_COMMUNITY, setUpAt);
		const foreignCommunityId = await createCommunity(trx, DEMO_FOREIGN_COMMUNITY, setUpAt);
		const { admin, gridWorker, shopkeeper } = DEMO_ACCOUNTS;
		// The first administrator, as the first start creates it (no one to name in the audit list).
		const adminId = await createOfficeAccount(
			trx,
			{ communityId, ...admin, password: DEMO_PASSWORD },
			setUpAt
		);
		const adminActor = { communityId, accountId: adminId };
		const accountIds: Record<string, number> = {};
		for (const account of [gridWorker, shopkeeper]) {
			const created = expectOk(
				await createAccount(trx, adminActor, { ...account, password: DEMO_PASSWORD }, setUpAt),
				`create the account ${account.username}`
			);
			accountIds[account.role] = created.accountId;
		}
		const adminSession = { id: adminId, community_id: communityId, role: 'admin' as const };
		const gridSession = {
			id: accountIds.gridWorker!,
			community_id: communityId,
			role: 'gridWorker' as const
		};

		const households = planHouseholds(random, householdCount);
		const planned = planResidents(random, householdCount, residentCount);
		const residentIds = await importDemoResidents(trx, adminActor, households, planned, setUpAt);
		await issueDemoCards(trx, adminActor, households, setUpAt);

		const rules = await seedDemoRules(trx, adminSession, setUpAt);
		const items = await seedDemoItems(trx, adminActor, {
			openedAt: setUpAt,
			newItemsAt: new Date(now.getTime() - 5 * DAY_MS)
		});

		// Items that are out of stock today must stay so: the history may not sell the last ones.
		const stockLeft = new Map(
			items.flatMap((item) => (item.stockTracked ? [[item.id, item.openingStock ?? 0]] : []))
		);
		const plan: HistoryPlanContext = {
			random,
			now,
			rules,
			items: items.filter((item) => !item.stockTracked || (stockLeft.get(item.id) ?? 0) > 2),
			stockLeft
		};
		const acts = residentIds.flatMap((residentId) => planResidentHistory(plan, residentId));
		await writeHistory(
			trx,
			{
				communityId,
				admin: adminSession,
				gridWorker: gridSession,
				gridWorkerFrom: new Date(now.getTime() - GRID_WORKER_DAYS * DAY_MS),
				now
			},
			acts
		);

		// Two lost cards: one resident got a new card (serial 2), one has no usable card at all.
		const reissuedCardResidentId = residentIds[2]!;
		const revokedCardResidentId = residentIds[6]!;
		await reportDemoLostCards(
			trx,
			adminActor,
			{ reissued: reissuedCardResidentId, revoked: revokedCardResidentId },
			new Date(now.getTime() - 10 * DAY_MS)
		);

		const foreign = await seedForeignCommunity(trx, random, foreignCommunityId, setUpAt);

		// The kiosks' first pull finds every balance and stock as the history left them.
		await recordResidentChanges(trx, communityId, residentIds, now);
		await recordItemChanges(
			trx,
			communityId,
			items.map((item) => item.id),
			now
		);

		const extras: DemoExtrasContext = {
			communityId,
			foreignCommunityId,
			now,
			setUpAt,
			adminAccountId: adminId,
			foreignAdminAccountId: foreign.adminId,
			residentIds,
			foreignResidentIds: foreign.residentIds,
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

/** 和平里社区: its first administrator imports five residents in three households, with cards. */
async function seedForeignCommunity(
	db: Kysely<Database>,
	random: SeededRandom,
	communityId: number,
	setUpAt: Date
): Promise<{ adminId: number; residentIds: number[] }> {
	// Nobody logs in to 和平里社区's accounts: they exist for its residents' and staff's cards.
	const adminId = await createOfficeAccount(
		db,
		{ communityId, ...DEMO_FOREIGN_ADMIN, password: crypto.randomUUID(), role: 'admin' },
		setUpAt
	);
	const actor = { communityId, accountId: adminId };
	const households = [
		{ building: '1栋', unit: '1单元', room: '101' },
		{ building: '1栋', unit: '1单元', room: '302' },
		{ building: '2栋', unit: '2单元', room: '201' }
	];
	const planned = planResidents(random, households.length, 5);
	const residentIds = await importDemoResidents(db, actor, households, planned, setUpAt);
	await issueDemoCards(db, actor, households, setUpAt);
	await db
		.insertInto('ledger_entries')
		.values(
			residentIds.map((residentId) => ({
				community_id: communityId,
				resident_id: residentId,
				points: 20,
				reason: 'opening' as const,
				note: '纸质台账结转',
				actor_kind: 'office_account' as const,
				actor_id: String(adminId),
				occurred_at: setUpAt.toISOString(),
				recorded_at: setUpAt.toISOString()
			}))
		)
		.execute();
	await recordResidentChanges(db, communityId, residentIds, setUpAt);
	return { adminId, residentIds };
}
