import { sql } from 'kysely';
import type { AnyDb } from './migrations';

/*
 * Corrections in the office (issue 11): a ledger entry is reversed at most once. The office checks
 * before it writes; the database refuses the second reversal even if two admins click at once.
 * A void on a kiosk reverses its redemption once as well, so the rule holds for every reversal.
 */
export async function createPointsSchema(db: AnyDb): Promise<void> {
	await db.schema
		.createIndex('ledger_entries_reverses_once')
		.on('ledger_entries')
		.column('reverses_entry_id')
		.unique()
		.where(sql.ref('reverses_entry_id'), 'is not', null)
		.execute();
	// The review list reads one batch's records together.
	await db.schema
		.createIndex('point_records_batch')
		.on('point_records')
		.columns(['community_id', 'batch_key'])
		.execute();
}
