import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/* Small helpers for office tests: households and residents written straight into the tables. */

export async function addHousehold(
	db: Kysely<Database>,
	communityId: number,
	building: string,
	label: string
): Promise<number> {
	const row = await db
		.insertInto('households')
		.values({ community_id: communityId, building, label })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function addResident(
	db: Kysely<Database>,
	communityId: number,
	householdId: number,
	name: string,
	options: { active?: boolean } = {}
): Promise<number> {
	const row = await db
		.insertInto('residents')
		.values({
			community_id: communityId,
			household_id: householdId,
			name,
			phone: null,
			active: options.active === false ? 0 : 1,
			created_at: new Date().toISOString()
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** The latest snapshot of an entity on the change feed. */
export async function latestChange(
	db: Kysely<Database>,
	entity: 'resident' | 'staff',
	entityId: number
): Promise<unknown> {
	const row = await db
		.selectFrom('changes')
		.select('data')
		.where('entity', '=', entity)
		.where('entity_id', '=', entityId)
		.orderBy('seq', 'desc')
		.executeTakeFirst();
	return row ? JSON.parse(row.data) : undefined;
}
