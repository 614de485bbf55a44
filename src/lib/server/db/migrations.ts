import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { createCardsSchema } from './migrations-cards';
import { createDisplaySchema } from './migrations-display';
import { createOneRowPerEntityFeed } from './migrations-feed';
import { createOfficeReviewFlags } from './migrations-flags';
import { createOfficeSchema } from './migrations-office';
import { createPointsSchema } from './migrations-points';
import { createResidentsSearchIndex } from './migrations-residents';
import { createSecuritySchema } from './migrations-security';
import { createShopSchema } from './migrations-shop';
import type { Database } from './schema';

/*
 * Migrations live in code, not in files globbed at runtime: Vite bundles the server into build/.
 * Add a new entry for every change; never edit one that has shipped. Names sort in order.
 *
 * Column types are chosen to mean the same on SQLite and PostgreSQL; the append-only triggers
 * are written in SQLite's dialect and would get PostgreSQL equivalents in a PostgreSQL migration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
export type AnyDb = Kysely<any>;

async function createInitialSchema(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('communities')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Asia/Shanghai'))
		.addColumn('public_key', 'text', (c) => c.notNull())
		.addColumn('private_key', 'text', (c) => c.notNull())
		.addColumn('offline_daily_limit', 'integer', (c) => c.notNull())
		.addColumn('offline_max_age_hours', 'integer', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('households')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('building', 'text', (c) => c.notNull())
		.addColumn('label', 'text', (c) => c.notNull())
		.addUniqueConstraint('households_label_unique', ['community_id', 'label'])
		.execute();

	await db.schema
		.createTable('residents')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('phone', 'text')
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('residents_community')
		.on('residents')
		.columns(['community_id', 'id'])
		.execute();
	await db.schema
		.createIndex('residents_household')
		.on('residents')
		.column('household_id')
		.execute();

	await db.schema
		.createTable('office_accounts')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('username', 'text', (c) => c.notNull().unique())
		.addColumn('display_name', 'text', (c) => c.notNull())
		.addColumn('password_hash', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) =>
			c.notNull().check(sql`role in ('admin', 'gridWorker', 'shopkeeper')`)
		)
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('sessions')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('account_id', 'integer', (c) => c.notNull().references('office_accounts.id'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('auth_attempts')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('attempted_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('auth_attempts_key')
		.on('auth_attempts')
		.columns(['key', 'attempted_at'])
		.execute();

	await db.schema
		.createTable('cards')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('resident', 'staff')`))
		.addColumn('resident_id', 'integer', (c) => c.references('residents.id'))
		.addColumn('office_account_id', 'integer', (c) => c.references('office_accounts.id'))
		.addColumn('serial', 'integer', (c) => c.notNull())
		.addColumn('issued_at', 'text', (c) => c.notNull())
		.addColumn('revoked_at', 'text')
		.addCheckConstraint(
			'cards_holder',
			sql`(kind = 'resident' and resident_id is not null and office_account_id is null)
			 or (kind = 'staff' and office_account_id is not null and resident_id is null)`
		)
		.addUniqueConstraint('cards_resident_serial', ['resident_id', 'serial'])
		.addUniqueConstraint('cards_staff_serial', ['office_account_id', 'serial'])
		.execute();

	await db.schema
		.createTable('point_rules')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('earn', 'penalty')`))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('points', 'integer', (c) => c.notNull())
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
		.addCheckConstraint(
			'point_rules_sign',
			sql`(kind = 'earn' and points > 0) or (kind = 'penalty' and points < 0)`
		)
		.execute();

	await db.schema
		.createTable('items')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('category', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) =>
			c.notNull().check(sql`kind in ('goods', 'service', 'course')`)
		)
		.addColumn('points', 'integer', (c) => c.notNull().check(sql`points >= 0`))
		.addColumn('stock_tracked', 'integer', (c) => c.notNull())
		.addColumn('image_url', 'text')
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('items_community').on('items').column('community_id').execute();

	await db.schema
		.createTable('ledger_entries')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('resident_id', 'integer', (c) => c.notNull().references('residents.id'))
		.addColumn('points', 'integer', (c) => c.notNull())
		.addColumn('reason', 'text', (c) =>
			c.notNull().check(sql`reason in ('earn', 'penalty', 'redemption', 'reversal', 'opening')`)
		)
		.addColumn('rule_id', 'integer', (c) => c.references('point_rules.id'))
		.addColumn('event_id', 'text')
		.addColumn('reverses_entry_id', 'integer', (c) => c.references('ledger_entries.id'))
		.addColumn('note', 'text')
		.addColumn('actor_kind', 'text', (c) =>
			c.notNull().check(sql`actor_kind in ('office_account', 'device', 'system')`)
		)
		.addColumn('actor_id', 'text', (c) => c.notNull())
		.addColumn('occurred_at', 'text', (c) => c.notNull())
		.addColumn('recorded_at', 'text', (c) => c.notNull())
		.execute();
	// Covering index: a balance is SUM(points) over one resident's entries.
	await db.schema
		.createIndex('ledger_entries_resident')
		.on('ledger_entries')
		.columns(['resident_id', 'points'])
		.execute();
	await db.schema
		.createIndex('ledger_entries_event')
		.on('ledger_entries')
		.column('event_id')
		.execute();

	await db.schema
		.createTable('stock_movements')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
		.addColumn('kind', 'text', (c) =>
			c.notNull().check(sql`kind in ('received', 'redeemed', 'voided', 'counted', 'damaged')`)
		)
		.addColumn('quantity', 'integer', (c) => c.notNull())
		.addColumn('event_id', 'text')
		.addColumn('actor_kind', 'text', (c) =>
			c.notNull().check(sql`actor_kind in ('office_account', 'device', 'system')`)
		)
		.addColumn('actor_id', 'text', (c) => c.notNull())
		.addColumn('occurred_at', 'text', (c) => c.notNull())
		.addColumn('recorded_at', 'text', (c) => c.notNull())
		.execute();
	// Covering index: stock on hand is SUM(quantity) over one item's movements.
	await db.schema
		.createIndex('stock_movements_item')
		.on('stock_movements')
		.columns(['item_id', 'quantity'])
		.execute();

	for (const table of ['ledger_entries', 'stock_movements']) {
		await sql`create trigger ${sql.raw(`${table}_no_update`)} before update on ${sql.table(table)}
			begin select raise(abort, ${sql.lit(`${table} is append-only`)}); end`.execute(db);
		await sql`create trigger ${sql.raw(`${table}_no_delete`)} before delete on ${sql.table(table)}
			begin select raise(abort, ${sql.lit(`${table} is append-only`)}); end`.execute(db);
	}

	await db.schema
		.createTable('devices')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('kiosk', 'display')`))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('enrolled_at', 'text', (c) => c.notNull())
		.addColumn('revoked_at', 'text')
		.addColumn('last_seen_at', 'text')
		.execute();

	await db.schema
		.createTable('enrollment_codes')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('code', 'text', (c) => c.notNull())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('kiosk', 'display')`))
		.addColumn('created_by_account_id', 'integer', (c) => c.references('office_accounts.id'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('used_at', 'text')
		.addColumn('used_by_device_id', 'text', (c) => c.references('devices.id'))
		.execute();
	await db.schema
		.createIndex('enrollment_codes_code')
		.on('enrollment_codes')
		.column('code')
		.execute();

	await db.schema
		.createTable('received_events')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('type', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('applied', 'rejected')`))
		.addColumn('result', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('received_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('rejected_events')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('event_id', 'text')
		.addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('message', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('received_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('review_flags')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('overdrawn', 'revoked_card')`))
		.addColumn('resident_id', 'integer', (c) => c.notNull().references('residents.id'))
		.addColumn('ledger_entry_id', 'integer', (c) => c.notNull().references('ledger_entries.id'))
		.addColumn('event_id', 'text')
		.addColumn('details', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('resolved_at', 'text')
		.addColumn('resolved_by_account_id', 'integer', (c) => c.references('office_accounts.id'))
		.execute();
	await db.schema
		.createIndex('review_flags_open')
		.on('review_flags')
		.columns(['community_id', 'resolved_at'])
		.execute();

	await db.schema
		.createTable('changes')
		.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('entity', 'text', (c) =>
			c.notNull().check(sql`entity in ('community', 'resident', 'item')`)
		)
		.addColumn('entity_id', 'integer', (c) => c.notNull())
		.addColumn('data', 'text', (c) => c.notNull())
		.addColumn('recorded_at', 'text', (c) => c.notNull())
		.execute();
	// Pull reads one community's changes after a cursor, in order.
	await db.schema
		.createIndex('changes_feed')
		.on('changes')
		.columns(['community_id', 'seq'])
		.execute();
	// A new change supersedes the entity's previous row.
	await db.schema
		.createIndex('changes_entity')
		.on('changes')
		.columns(['community_id', 'entity', 'entity_id'])
		.execute();
}

/** Every migration, in order. Static so that the bundled server carries them. */
export const MIGRATIONS: Record<string, Migration> = {
	'0001_initial': { up: createInitialSchema },
	'0002_shop': { up: createShopSchema },
	'0003_display': { up: createDisplaySchema },
	'0004_office': { up: createOfficeSchema },
	'0005_residents': { up: createResidentsSearchIndex },
	'0006_points': { up: createPointsSchema },
	'0007_cards': { up: createCardsSchema },
	// 0008 was kept for the catalogue, which needed no schema change.
	'0009_security': { up: createSecuritySchema },
	'0010_feed': { up: createOneRowPerEntityFeed },
	'0011_flags': { up: createOfficeReviewFlags }
};

const staticMigrations: MigrationProvider = {
	getMigrations: () => Promise.resolve(MIGRATIONS)
};

/** Brings the schema up to date; throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
	const migrator = new Migrator({ db, provider: staticMigrations });
	const { error, results } = await migrator.migrateToLatest();
	const failed = results?.find((result) => result.status === 'Error');
	if (error) {
		throw new Error(`database migration ${failed?.migrationName ?? ''} failed`, { cause: error });
	}
}
