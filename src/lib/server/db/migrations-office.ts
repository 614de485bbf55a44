import { sql } from 'kysely';
import type { AnyDb } from './migrations';

/*
 * The community office (issue 11): what a community enters itself — households with unit and
 * room, moving out, rules with categories, limits and evidence, points recorded by the office
 * (pending until approved), card revocation reasons, item price history — and the audit list.
 *
 * Points recorded in the office are `point_records`: a 网格员's record waits there as 'pending'
 * and only an approved record writes its ledger entry, so the ledger stays append-only and a
 * balance stays the sum of the ledger (pending points are not spendable).
 */
export async function createOfficeSchema(db: AnyDb): Promise<void> {
	await db.schema
		.alterTable('communities')
		.addColumn('review_points', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();

	await db.schema.alterTable('households').addColumn('unit', 'text').execute();
	await db.schema.alterTable('households').addColumn('room', 'text').execute();

	await db.schema.alterTable('residents').addColumn('moved_out_at', 'text').execute();
	await db.schema.alterTable('residents').addColumn('updated_at', 'text').execute();

	await db.schema
		.alterTable('point_rules')
		.addColumn('category', 'text', (c) => c.notNull().defaultTo(''))
		.execute();
	await db.schema
		.alterTable('point_rules')
		.addColumn('limit_period', 'text', (c) =>
			c.check(sql`limit_period is null or limit_period in ('day', 'week', 'month')`)
		)
		.execute();
	await db.schema.alterTable('point_rules').addColumn('limit_count', 'integer').execute();
	await db.schema
		.alterTable('point_rules')
		.addColumn('evidence_required', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema.alterTable('point_rules').addColumn('updated_at', 'text').execute();

	// The rule as it was when the entry was recorded: a later edit of the rule changes nothing.
	await db.schema.alterTable('ledger_entries').addColumn('rule_name', 'text').execute();

	await db.schema.alterTable('cards').addColumn('revoked_reason', 'text').execute();
	await db.schema
		.alterTable('cards')
		.addColumn('revoked_by_account_id', 'integer', (c) => c.references('office_accounts.id'))
		.execute();

	await db.schema.alterTable('items').addColumn('updated_at', 'text').execute();

	await db.schema
		.createTable('point_records')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('resident_id', 'integer', (c) => c.notNull().references('residents.id'))
		.addColumn('rule_id', 'integer', (c) => c.notNull().references('point_rules.id'))
		.addColumn('rule_name', 'text', (c) => c.notNull())
		.addColumn('points', 'integer', (c) => c.notNull())
		.addColumn('note', 'text')
		/** A file name under DATA_DIR/uploads/evidence. */
		.addColumn('photo', 'text')
		/** The day of the act, YYYY-MM-DD in the community's time zone. */
		.addColumn('occurred_on', 'text', (c) => c.notNull())
		/**
		 * The form's one-time key: a batch submitted twice (double click, reload) records once.
		 */
		.addColumn('batch_key', 'text', (c) => c.notNull())
		.addColumn('recorded_by_account_id', 'integer', (c) =>
			c.notNull().references('office_accounts.id')
		)
		.addColumn('recorded_at', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) =>
			c.notNull().check(sql`status in ('pending', 'approved', 'refused')`)
		)
		.addColumn('decided_by_account_id', 'integer', (c) => c.references('office_accounts.id'))
		.addColumn('decided_at', 'text')
		.addColumn('refusal_reason', 'text')
		.addColumn('ledger_entry_id', 'integer', (c) => c.references('ledger_entries.id'))
		.addUniqueConstraint('point_records_batch_resident', ['batch_key', 'resident_id'])
		.execute();
	await db.schema
		.createIndex('point_records_status')
		.on('point_records')
		.columns(['community_id', 'status', 'id'])
		.execute();
	await db.schema
		.createIndex('point_records_resident')
		.on('point_records')
		.columns(['resident_id', 'rule_id', 'occurred_on'])
		.execute();

	// A price as it was from a moment on; the current price is items.points.
	await db.schema
		.createTable('item_prices')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		.addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
		.addColumn('points', 'integer', (c) => c.notNull())
		.addColumn('valid_from', 'text', (c) => c.notNull())
		.addColumn('account_id', 'integer', (c) => c.references('office_accounts.id'))
		.execute();
	await db.schema
		.createIndex('item_prices_item')
		.on('item_prices')
		.columns(['item_id', 'valid_from'])
		.execute();

	await db.schema
		.createTable('audit_log')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
		/** Null for the system (the demo seed). */
		.addColumn('account_id', 'integer', (c) => c.references('office_accounts.id'))
		/** e.g. 'resident.create', 'points.approve' (office/audit.ts lists them). */
		.addColumn('action', 'text', (c) => c.notNull())
		/** e.g. 'resident:12' */
		.addColumn('subject', 'text')
		/** A short Chinese summary for the list. */
		.addColumn('summary', 'text', (c) => c.notNull())
		/** What changed, JSON. */
		.addColumn('details', 'text')
		.addColumn('at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('audit_log_community')
		.on('audit_log')
		.columns(['community_id', 'id'])
		.execute();
	// Nothing about points is ever deleted, and what the audit list says stays said.
	for (const table of ['audit_log', 'point_records']) {
		await sql`create trigger ${sql.raw(`${table}_no_delete`)} before delete on ${sql.table(table)}
			begin select raise(abort, ${sql.lit(`${table} keeps its rows`)}); end`.execute(db);
	}
	await sql`create trigger audit_log_no_update before update on audit_log
		begin select raise(abort, 'audit_log is append-only'); end`.execute(db);

	// Search: a resident by name, a household by label, a resident by phone's last four digits.
	await db.schema
		.createIndex('residents_name')
		.on('residents')
		.columns(['community_id', 'name'])
		.execute();
}
