import type { Kysely } from 'kysely';
import type { Database, OfficeRole } from '../db/schema';
import { createCommunity } from '../office/communities';
import type { OfficeActor } from '../office/point-rules';

/*
 * A small community for the points tests: two admins, a 网格员, a shopkeeper, households with
 * residents (one moved out), an earn rule, a penalty rule and a retired rule; and a foreign
 * community with a resident of its own.
 */

export interface PointsWorld {
	communityId: number;
	foreignCommunityId: number;
	admin: OfficeActor;
	otherAdmin: OfficeActor;
	grid: OfficeActor;
	shopkeeper: OfficeActor;
	/** Active residents of the community. */
	residents: number[];
	movedOut: number;
	foreignResident: number;
	rules: { stairs: number; dogs: number; retired: number };
}

async function account(
	db: Kysely<Database>,
	communityId: number,
	username: string,
	role: OfficeRole
): Promise<OfficeActor> {
	const row = await db
		.insertInto('office_accounts')
		.values({
			community_id: communityId,
			username,
			display_name: username,
			// Never logged in with: these tests act through functions, not the login page.
			password_hash: 'unused',
			role,
			active: 1,
			created_at: new Date().toISOString()
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return { id: row.id, community_id: communityId, role };
}

/** Inserts `count` residents in one household each; answers their ids. */
export async function addResidents(
	db: Kysely<Database>,
	communityId: number,
	count: number,
	active: 0 | 1 = 1
): Promise<number[]> {
	const ids: number[] = [];
	const start = Number(
		(
			await db
				.selectFrom('households')
				.select(({ fn }) => fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);
	for (let i = 0; i < count; i++) {
		const number = start + i + 1;
		const household = await db
			.insertInto('households')
			.values({
				community_id: communityId,
				building: `${(number % 9) + 1}栋`,
				label: `${(number % 9) + 1}栋1单元${100 + number}`
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const resident = await db
			.insertInto('residents')
			.values({
				community_id: communityId,
				household_id: household.id,
				name: `居民${number}号`,
				phone: null,
				active,
				created_at: new Date().toISOString()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		ids.push(resident.id);
	}
	return ids;
}

export async function createPointsWorld(db: Kysely<Database>): Promise<PointsWorld> {
	const communityId = await createCommunity(db, { slug: 'points', name: '积分社区' });
	const foreignCommunityId = await createCommunity(db, { slug: 'foreign', name: '别的社区' });
	const rule = async (
		kind: 'earn' | 'penalty',
		name: string,
		points: number,
		extra: { active?: 0 | 1; limit_period?: 'day' | 'week' | 'month'; limit_count?: number } = {}
	) =>
		(
			await db
				.insertInto('point_rules')
				.values({
					community_id: communityId,
					kind,
					name,
					points,
					active: extra.active ?? 1,
					sort_order: 0,
					limit_period: extra.limit_period ?? null,
					limit_count: extra.limit_count ?? null
				})
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;
	return {
		communityId,
		foreignCommunityId,
		admin: await account(db, communityId, 'admin', 'admin'),
		otherAdmin: await account(db, communityId, 'admin2', 'admin'),
		grid: await account(db, communityId, 'grid', 'gridWorker'),
		shopkeeper: await account(db, communityId, 'shop', 'shopkeeper'),
		residents: await addResidents(db, communityId, 5),
		movedOut: (await addResidents(db, communityId, 1, 0))[0]!,
		foreignResident: (await addResidents(db, foreignCommunityId, 1))[0]!,
		rules: {
			stairs: await rule('earn', '楼道清洁', 2, { limit_period: 'week', limit_count: 1 }),
			dogs: await rule('penalty', '遛狗不牵绳', -5),
			retired: await rule('earn', '旧项目', 3, { active: 0 })
		}
	};
}
