import { sql } from 'kysely';
import type { AnyDb } from './migrations';

/*
 * Tables for the lobby display: boards, stories, merchants, buildings, playlists. This is edited
 * content, not a ledger, so rows may be updated and deleted; created_at/updated_at say when, for
 * the office. The feed's version comes from the feed's content, not from these stamps, because it
 * must also change when time alone changes what is shown (a story's window, an expiry, a quarter).
 */
export async function createDisplaySchema(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('display_boards')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('quarter', 'text', (c) =>
			c.notNull().check(sql`quarter glob '[0-9][0-9][0-9][0-9]-Q[1-4]'`)
		)
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'published')`))
		.addColumn('link', 'text')
		.addColumn('published_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('display_boards_quarter', ['community_id', 'quarter'])
		.execute();

	await db.schema
		.createTable('display_board_entries')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('board_id', 'integer', (c) =>
			c.notNull().references('display_boards.id').onDelete('cascade')
		)
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('list', 'text', (c) => c.notNull().check(sql`list in ('red', 'black')`))
		.addColumn('resident_id', 'integer', (c) => c.references('residents.id'))
		.addColumn('household_id', 'integer', (c) => c.references('households.id'))
		.addColumn('reason', 'text')
		.addColumn('category', 'text')
		.addColumn('expires_at', 'text')
		.addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		// One subject: a resident or a household, never both, never neither.
		.addCheckConstraint(
			'display_board_entries_subject',
			sql`(resident_id is null) <> (household_id is null)`
		)
		// Red entries say why they are honoured; black entries name the misconduct's category.
		.addCheckConstraint(
			'display_board_entries_text',
			sql`(list = 'red' and reason is not null) or (list = 'black' and category is not null)`
		)
		.execute();
	await db.schema
		.createIndex('display_board_entries_board')
		.on('display_board_entries')
		.columns(['board_id', 'list', 'sort_order'])
		.execute();

	await db.schema
		.createTable('display_stories')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('text', 'text', (c) => c.notNull())
		.addColumn('photo_url', 'text', (c) => c.notNull())
		.addColumn('link', 'text')
		.addColumn('publish_from', 'text', (c) => c.notNull())
		.addColumn('publish_until', 'text')
		.addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('display_stories_community')
		.on('display_stories')
		.columns(['community_id', 'publish_from'])
		.execute();

	for (const table of ['display_trusted_merchants', 'display_trusted_buildings']) {
		await db.schema
			.createTable(table)
			.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
			.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
			.addColumn('name', 'text', (c) => c.notNull())
			.addColumn('stars', 'integer', (c) => c.notNull().check(sql`stars between 1 and 5`))
			.addColumn('note', 'text')
			.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
			.addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
			.addColumn('created_at', 'text', (c) => c.notNull())
			.addColumn('updated_at', 'text', (c) => c.notNull())
			.execute();
		await db.schema.createIndex(`${table}_community`).on(table).column('community_id').execute();
	}

	await db.schema
		.createTable('display_playlists')
		.addColumn('community_id', 'integer', (c) => c.primaryKey().references('communities.id'))
		.addColumn('slides', 'text', (c) => c.notNull())
		.addColumn('day_parts', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
}
