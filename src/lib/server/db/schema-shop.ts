import type { Generated, Selectable } from 'kysely';
import type { Flag } from './schema';

/*
 * The tables of shop mode, as Kysely sees them (see schema.ts for the conventions). The columns
 * migration 0002_shop adds to older tables (communities.count_difference_limit, the staff and
 * reason columns of stock_movements and ledger_entries) are declared in schema.ts with a note.
 */

export type StaffRole = 'shopkeeper' | 'manager';

/** An office account that may open shop mode: its shop role and PIN (PBKDF2-SHA-256). */
export interface StaffMembersTable {
	/** The office account's id; also the subject of the staff card's credential. */
	id: number;
	community_id: number;
	role: StaffRole;
	pin_iterations: number;
	/** base64url */
	pin_salt: string;
	/** base64url */
	pin_hash: string;
	active: Generated<Flag>;
	created_at: string;
	/** Added by 0007_cards: how often the office unlocked this card's PIN on the kiosks. */
	pin_unlocks: Generated<number>;
}

/** 撤销: one row per voided redemption (unique), next to its reversal entries and movements. */
export interface VoidsTable {
	id: Generated<number>;
	community_id: number;
	/** The void event's id. */
	event_id: string;
	device_id: string;
	redemption_event_id: string;
	business_date: string;
	staff_id: number;
	reason: string;
	/** Points given back. */
	points: number;
	occurred_at: string;
	recorded_at: string;
}

/** 日结报表: one per kiosk and business day. */
export interface DayReportsTable {
	id: Generated<number>;
	community_id: number;
	device_id: string;
	business_date: string;
	event_id: string;
	staff_id: number;
	approver_staff_id: number | null;
	redemption_count: number;
	redemption_points: number;
	void_count: number;
	void_points: number;
	difference_count: number;
	/** The DayReport (protocol/day-report.ts) as the kiosk made it, JSON. */
	report: string;
	/** Device time. */
	closed_at: string;
	recorded_at: string;
}

export interface ShopTables {
	staff_members: StaffMembersTable;
	voids: VoidsTable;
	day_reports: DayReportsTable;
}

export type StaffMemberRow = Selectable<StaffMembersTable>;
export type DayReportRow = Selectable<DayReportsTable>;
