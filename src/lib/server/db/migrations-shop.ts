import { sql } from 'kysely';
import type { AnyDb } from './migrations';

/*
 * Shop mode (issue 3): staff PINs, voids and day reports, plus the columns shop movements need.
 *
 * Staff are office accounts: a staff card is a `cards` row of kind 'staff' naming the account
 * (the credential's subject is the account id), and `staff_members` gives an account its shop
 * role and PIN. A volunteer shopkeeper gets an account like anyone else in the office.
 */
export async function createShopSchema(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('staff_members')
		.addColumn('id', 'integer', (c) => c.primaryKey().references('office_accounts.id'))
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('shopkeeper', 'manager')`))
		.addColumn('pin_iterations', 'integer', (c) => c.notNull())
		.addColumn('pin_salt', 'text', (c) => c.notNull())
		.addColumn('pin_hash', 'text', (c) => c.notNull())
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	// One void per redemption, enforced by the database and not only by the code that checks.
	await db.schema
		.createTable('voids')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('event_id', 'text', (c) => c.notNull().unique())
		.addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
		.addColumn('redemption_event_id', 'text', (c) => c.notNull().unique())
		.addColumn('business_date', 'text', (c) => c.notNull())
		.addColumn('staff_id', 'integer', (c) => c.notNull().references('staff_members.id'))
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('points', 'integer', (c) => c.notNull())
		.addColumn('occurred_at', 'text', (c) => c.notNull())
		.addColumn('recorded_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('day_reports')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
		.addColumn('business_date', 'text', (c) => c.notNull())
		.addColumn('event_id', 'text', (c) => c.notNull().unique())
		.addColumn('staff_id', 'integer', (c) => c.notNull().references('staff_members.id'))
		.addColumn('approver_staff_id', 'integer', (c) => c.references('staff_members.id'))
		.addColumn('redemption_count', 'integer', (c) => c.notNull())
		.addColumn('redemption_points', 'integer', (c) => c.notNull())
		.addColumn('void_count', 'integer', (c) => c.notNull())
		.addColumn('void_points', 'integer', (c) => c.notNull())
		/** Items whose count differed from the expected quantity. */
		.addColumn('difference_count', 'integer', (c) => c.notNull())
		/** The DayReport as the kiosk made it, JSON. */
		.addColumn('report', 'text', (c) => c.notNull())
		.addColumn('closed_at', 'text', (c) => c.notNull())
		.addColumn('recorded_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('day_reports_device_day', ['device_id', 'business_date'])
		.execute();
	await db.schema
		.createIndex('day_reports_community')
		.on('day_reports')
		.columns(['community_id', 'business_date'])
		.execute();

	await db.schema
		.alterTable('communities')
		.addColumn('count_difference_limit', 'integer', (c) => c.notNull().defaultTo(5))
		.execute();
	// Who did it, why, and for reversals which movement is reversed. Nullable: older rows and
	// office movements have none of these.
	for (const column of ['staff_id', 'reverses_movement_id'] as const) {
		await db.schema.alterTable('stock_movements').addColumn(column, 'integer').execute();
	}
	for (const column of ['reason', 'note'] as const) {
		await db.schema.alterTable('stock_movements').addColumn(column, 'text').execute();
	}
	await db.schema.alterTable('ledger_entries').addColumn('staff_id', 'integer').execute();
	await db.schema
		.createIndex('stock_movements_event')
		.on('stock_movements')
		.column('event_id')
		.execute();

	await allowStaffInChangeFeed(db);
}

/**
 * The feed's entity check predates staff. SQLite cannot alter a check, so the table is rebuilt
 * with its rows and its sequence: a kiosk's cursor must keep pointing past what it has seen, so
 * the new table's counter continues from the old one (not from the highest remaining row, which
 * may be lower: superseded rows are deleted). The community rows are re-recorded with the new
 * count-difference limit under a new seq, so kiosks pull it.
 */
async function allowStaffInChangeFeed(db: AnyDb): Promise<void> {
	const counter = await sql<{ seq: number }>`
		select seq from sqlite_sequence where name = 'changes'`.execute(db);
	const lastSeq = Number(counter.rows[0]?.seq ?? 0);

	await db.schema
		.createTable('changes_new')
		.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('entity', 'text', (c) =>
			c.notNull().check(sql`entity in ('community', 'resident', 'item', 'staff')`)
		)
		.addColumn('entity_id', 'integer', (c) => c.notNull())
		.addColumn('data', 'text', (c) => c.notNull())
		.addColumn('recorded_at', 'text', (c) => c.notNull())
		.execute();
	await sql`insert into changes_new (seq, community_id, entity, entity_id, data, recorded_at)
		select seq, community_id, entity, entity_id, data, recorded_at from changes`.execute(db);
	await db.schema.dropTable('changes').execute();
	await sql`alter table changes_new rename to changes`.execute(db);
	// The rename carried changes_new's counter over (its highest copied seq); raise it if lower.
	await sql`update sqlite_sequence set seq = max(seq, ${lastSeq}) where name = 'changes'`.execute(
		db
	);
	await sql`insert into sqlite_sequence (name, seq) select 'changes', ${lastSeq}
		where not exists (select 1 from sqlite_sequence where name = 'changes')`.execute(db);
	await db.schema
		.createIndex('changes_feed')
		.on('changes')
		.columns(['community_id', 'seq'])
		.execute();
	await db.schema
		.createIndex('changes_entity')
		.on('changes')
		.columns(['community_id', 'entity', 'entity_id'])
		.execute();

	const communities = await sql<{ seq: number }>`
		select seq from changes where entity = 'community'`.execute(db);
	for (const { seq } of communities.rows) {
		await sql`insert into changes (community_id, entity, entity_id, data, recorded_at)
			select community_id, entity, entity_id, json_set(data, '$.countDifferenceLimit', 5),
				recorded_at from changes where seq = ${seq}`.execute(db);
		await sql`delete from changes where seq = ${seq}`.execute(db);
	}
}
