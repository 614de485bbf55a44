import { sql } from 'kysely';
import type { AnyDb } from './migrations';

/*
 * The change feed keeps one row per entity (issue 12): a change replaces the entity's row under a
 * new sequence number, so a pull reads no superseded rows and no background compaction is needed.
 * The unique index says so in the database.
 */
export async function createOneRowPerEntityFeed(db: AnyDb): Promise<void> {
	await sql`delete from changes where exists (select 1 from changes newer
		where newer.community_id = changes.community_id and newer.entity = changes.entity
		and newer.entity_id = changes.entity_id and newer.seq > changes.seq)`.execute(db);
	await db.schema.dropIndex('changes_entity').execute();
	await db.schema
		.createIndex('changes_entity')
		.unique()
		.on('changes')
		.columns(['community_id', 'entity', 'entity_id'])
		.execute();
}
