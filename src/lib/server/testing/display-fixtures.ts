import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { createCommunity } from '../office/communities';

export interface NamedCommunity {
	communityId: number;
	/** By resident name. */
	residentIds: Record<string, number>;
	/** By household label. */
	householdIds: Record<string, number>;
}

/**
 * A small community whose people the test names: `{ '3栋2单元501': ['李建国', '王秀英'] }`.
 * The building is the label up to 栋.
 */
export async function createNamedCommunity(
	db: Kysely<Database>,
	slug: string,
	households: Record<string, readonly string[]>,
	now: Date = new Date()
): Promise<NamedCommunity> {
	const communityId = await createCommunity(db, { slug, name: `${slug}社区` }, now);
	const residentIds: Record<string, number> = {};
	const householdIds: Record<string, number> = {};
	for (const [label, names] of Object.entries(households)) {
		const household = await db
			.insertInto('households')
			.values({ community_id: communityId, building: label.replace(/栋.*/, '栋'), label })
			.returning('id')
			.executeTakeFirstOrThrow();
		householdIds[label] = household.id;
		for (const name of names) {
			const resident = await db
				.insertInto('residents')
				.values({
					community_id: communityId,
					household_id: household.id,
					name,
					active: 1,
					created_at: now.toISOString()
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			residentIds[name] = resident.id;
		}
	}
	return { communityId, residentIds, householdIds };
}
