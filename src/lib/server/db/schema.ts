import type { Generated, Insertable, Selectable } from 'kysely';
import type { DisplayTables } from './schema-display';
import type { OfficeTables } from './schema-office';
import type { OfficeRole } from '$lib/office/office-pages';
import type { ShopTables } from './schema-shop';
import type { ReviewFlagKind } from '$lib/protocol/review-flags';

/**
 * The server database as Kysely sees it. Times are ISO 8601 UTC text, booleans are 0/1 integers
 * and JSON is text, so that the same queries run on SQLite now and PostgreSQL later.
 */
export interface Database extends ShopTables, DisplayTables, OfficeTables {
	communities: CommunitiesTable;
	households: HouseholdsTable;
	residents: ResidentsTable;
	office_accounts: OfficeAccountsTable;
	sessions: SessionsTable;
	auth_attempts: AuthAttemptsTable;
	cards: CardsTable;
	point_rules: PointRulesTable;
	items: ItemsTable;
	ledger_entries: LedgerEntriesTable;
	stock_movements: StockMovementsTable;
	devices: DevicesTable;
	enrollment_codes: EnrollmentCodesTable;
	received_events: ReceivedEventsTable;
	installation: InstallationTable;
	rejected_events: RejectedEventsTable;
	review_flags: ReviewFlagsTable;
	changes: ChangesTable;
}

/** 0 or 1: SQLite has no boolean type. */
export type Flag = 0 | 1;

export interface CommunitiesTable {
	id: Generated<number>;
	slug: string;
	name: string;
	time_zone: Generated<string>;
	/** Raw Ed25519 public key, base64url. */
	public_key: string;
	/** PKCS#8 Ed25519 private key, base64. Never leaves the server. */
	private_key: string;
	offline_daily_limit: number;
	offline_max_age_hours: number;
	created_at: string;
	/** Added by 0002_shop: a count difference beyond this needs a second staff PIN. */
	count_difference_limit: Generated<number>;
	/** Added by 0004_office: 1 when a 网格员's points wait for an admin's approval. */
	review_points: Generated<Flag>;
}

export interface HouseholdsTable {
	id: Generated<number>;
	community_id: number;
	/** e.g. '3栋' */
	building: string;
	/** e.g. '3栋2单元501': unique in the community; what kiosks and lists show. */
	label: string;
	// Added by 0004_office, null for a free label (e.g. '老年公寓'):
	/** e.g. '2单元' */
	unit?: string | null;
	/** e.g. '501' */
	room?: string | null;
}

export interface ResidentsTable {
	id: Generated<number>;
	community_id: number;
	household_id: number;
	name: string;
	phone: string | null;
	active: Flag;
	created_at: string;
	/** Added by 0004_office: when the resident moved out (active = 0 then). */
	moved_out_at?: string | null;
	updated_at?: string | null;
}

export { OFFICE_ROLES, type OfficeRole } from '$lib/office/office-pages';

export interface OfficeAccountsTable {
	id: Generated<number>;
	community_id: number;
	username: string;
	display_name: string;
	/** `scrypt$N$r$p$salt$hash`, see auth/passwords.ts. */
	password_hash: string;
	role: OfficeRole;
	active: Flag;
	created_at: string;
}

export interface SessionsTable {
	/** sha256 of the cookie value, hex. */
	id: string;
	account_id: number;
	created_at: string;
	expires_at: string;
}

export interface AuthAttemptsTable {
	id: Generated<number>;
	/** e.g. 'login:127.0.0.1:admin' or 'enroll:127.0.0.1' */
	key: string;
	attempted_at: string;
}

export type CardKind = 'resident' | 'staff';

export interface CardsTable {
	id: Generated<number>;
	community_id: number;
	kind: CardKind;
	resident_id: number | null;
	office_account_id: number | null;
	serial: number;
	issued_at: string;
	revoked_at: string | null;
	// Added by 0004_office:
	revoked_reason?: string | null;
	revoked_by_account_id?: number | null;
}

export type PointRuleKind = 'earn' | 'penalty';

export interface PointRulesTable {
	id: Generated<number>;
	community_id: number;
	kind: PointRuleKind;
	name: string;
	/** Signed: positive for earn rules, negative for penalty rules. */
	points: number;
	/** 0: retired (kept for the entries that name it). */
	active: Flag;
	sort_order: number;
	// Added by 0004_office:
	/** e.g. '环境卫生'; '' when none. */
	category: Generated<string>;
	/** At most `limit_count` records per resident per period, or no limit when null. */
	limit_period?: 'day' | 'week' | 'month' | null;
	limit_count?: number | null;
	/** 1 when a record needs a note or a photo. */
	evidence_required: Generated<Flag>;
	updated_at?: string | null;
}

export type ItemKind = 'goods' | 'service' | 'course';

export interface ItemsTable {
	id: Generated<number>;
	community_id: number;
	name: string;
	category: string;
	kind: ItemKind;
	points: number;
	stock_tracked: Flag;
	image_url: string | null;
	active: Flag;
	sort_order: number;
	created_at: string;
	/** Added by 0004_office. */
	updated_at?: string | null;
}

export const LEDGER_REASONS = ['earn', 'penalty', 'redemption', 'reversal', 'opening'] as const;
export type LedgerReason = (typeof LEDGER_REASONS)[number];
export type ActorKind = 'office_account' | 'device' | 'system';

/** Append-only (triggers refuse UPDATE and DELETE). */
export interface LedgerEntriesTable {
	id: Generated<number>;
	community_id: number;
	resident_id: number;
	points: number;
	reason: LedgerReason;
	rule_id: number | null;
	/** The device event this entry came from, if any. */
	event_id: string | null;
	reverses_entry_id: number | null;
	note: string | null;
	actor_kind: ActorKind;
	actor_id: string;
	/** When it happened, by the clock of whoever did it (a device's clock may be wrong). */
	occurred_at: string;
	/** When the server wrote it. */
	recorded_at: string;
	/** Added by 0002_shop: the staff member who did it on a kiosk (a void). */
	staff_id?: number | null;
	/** Added by 0004_office: the rule's name as it was when the entry was recorded. */
	rule_name?: string | null;
}

export const STOCK_MOVEMENT_KINDS = [
	'received',
	'redeemed',
	'voided',
	'counted',
	'damaged'
] as const;
export type StockMovementKind = (typeof STOCK_MOVEMENT_KINDS)[number];

/** Append-only (triggers refuse UPDATE and DELETE). */
export interface StockMovementsTable {
	id: Generated<number>;
	community_id: number;
	item_id: number;
	kind: StockMovementKind;
	/** Signed: received +, redeemed −, voided +, counted ± (the difference), damaged −. */
	quantity: number;
	event_id: string | null;
	actor_kind: ActorKind;
	actor_id: string;
	occurred_at: string;
	recorded_at: string;
	// Added by 0002_shop, null on older rows and office movements:
	/** The staff member who did it on a kiosk. */
	staff_id?: number | null;
	/** For a void's 'voided' movement: the 'redeemed' movement it reverses. */
	reverses_movement_id?: number | null;
	/** A loss reason (damaged/expired/lost/other) or a count difference's reason. */
	reason?: string | null;
	/** A delivery's or a loss's free-text note. */
	note?: string | null;
}

export type DeviceKind = 'kiosk' | 'display';

export interface DevicesTable {
	/** UUID */
	id: string;
	community_id: number;
	kind: DeviceKind;
	name: string;
	/** sha256 of the bearer token, hex. */
	token_hash: string;
	enrolled_at: string;
	revoked_at: string | null;
	last_seen_at: string | null;
}

export interface EnrollmentCodesTable {
	id: Generated<number>;
	/** 8 digits. Kept in clear: it is short-lived, single-use and shown again on the office page. */
	code: string;
	community_id: number;
	kind: DeviceKind;
	created_by_account_id: number | null;
	created_at: string;
	expires_at: string;
	used_at: string | null;
	used_by_device_id: string | null;
}

export type ReceivedEventStatus = 'applied' | 'rejected';

/** One row per event id the server has answered for, so a replay gets the first answer. */
export interface ReceivedEventsTable {
	id: string;
	device_id: string;
	community_id: number;
	type: string;
	status: ReceivedEventStatus;
	/** The PushResult first answered, JSON. */
	result: string;
	/** The event as pushed, JSON. */
	body: string;
	received_at: string;
	/** The event's deviceSeq when it parsed; unique per device (migration 0009_security). */
	device_seq: number | null;
	/** What was odd about the event, for the office to review; null when nothing was. */
	warning: string | null;
}

/** Facts about the database as a whole (migration 0009_security): `mode` is 'demo' or absent. */
export interface InstallationTable {
	key: string;
	value: string;
}

/** Events refused before they could own their id (wrong device, id conflict, no usable id). */
export interface RejectedEventsTable {
	id: Generated<number>;
	event_id: string | null;
	device_id: string;
	community_id: number;
	reason: string;
	message: string;
	body: string;
	received_at: string;
}

export type { ReviewFlagKind };

/** Things the office should look at: applied, but not as it should have been. */
export interface ReviewFlagsTable {
	id: Generated<number>;
	community_id: number;
	kind: ReviewFlagKind;
	resident_id: number;
	ledger_entry_id: number;
	event_id: string | null;
	/** JSON with what the office needs to judge, e.g. the balance after the entry. */
	details: string;
	created_at: string;
	resolved_at: string | null;
	resolved_by_account_id: number | null;
	/** What the 管理员 who resolved it wrote (migration 0011_flags); null when nothing. */
	resolution_note: string | null;
}

export type ChangeEntity = 'community' | 'resident' | 'item' | 'staff';

/** The change feed. Only the newest row per entity is kept (older ones are superseded). */
export interface ChangesTable {
	seq: Generated<number>;
	community_id: number;
	entity: ChangeEntity;
	entity_id: number;
	/** The entity's snapshot as the device keeps it (protocol/sync.ts), JSON. */
	data: string;
	recorded_at: string;
}

export type CommunityRow = Selectable<CommunitiesTable>;
export type ItemRow = Selectable<ItemsTable>;
export type DeviceRow = Selectable<DevicesTable>;
export type OfficeAccountRow = Selectable<OfficeAccountsTable>;
export type NewLedgerEntry = Insertable<LedgerEntriesTable>;
export type NewStockMovement = Insertable<StockMovementsTable>;
