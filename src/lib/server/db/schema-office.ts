import type { Generated, Selectable } from 'kysely';

/*
 * The tables of the community office, as Kysely sees them (see schema.ts for the conventions).
 * The columns migration 0004_office adds to older tables are declared in schema.ts with a note.
 */

export type PointRecordStatus = 'pending' | 'approved' | 'refused';

/**
 * Points recorded in the office for one resident: pending until an admin approves (then it has
 * its ledger entry), or refused with a reason. Never deleted.
 */
export interface PointRecordsTable {
	id: Generated<number>;
	community_id: number;
	resident_id: number;
	rule_id: number;
	/** The rule's name and signed points as they were when recorded. */
	rule_name: string;
	points: number;
	note: string | null;
	/** File name under DATA_DIR/uploads/evidence. */
	photo: string | null;
	/** YYYY-MM-DD in the community's time zone. */
	occurred_on: string;
	/** One per form: a batch submitted twice records once (unique with resident_id). */
	batch_key: string;
	recorded_by_account_id: number;
	recorded_at: string;
	status: PointRecordStatus;
	decided_by_account_id: number | null;
	decided_at: string | null;
	refusal_reason: string | null;
	ledger_entry_id: number | null;
}

/** An item's price from a moment on (the current one is items.points). */
export interface ItemPricesTable {
	id: Generated<number>;
	community_id: number;
	item_id: number;
	points: number;
	valid_from: string;
	account_id: number | null;
}

/** Who did what in the office, when. Append-only (triggers refuse UPDATE and DELETE). */
export interface AuditLogTable {
	id: Generated<number>;
	community_id: number;
	/** Null for the system (the demo seed). */
	account_id: number | null;
	action: string;
	/** e.g. 'resident:12' */
	subject: string | null;
	/** A short Chinese summary for the list. */
	summary: string;
	/** JSON */
	details: string | null;
	at: string;
}

export interface OfficeTables {
	point_records: PointRecordsTable;
	item_prices: ItemPricesTable;
	audit_log: AuditLogTable;
}

export type PointRecordRow = Selectable<PointRecordsTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
