import type { Kysely } from 'kysely';
import type { LedgerLine } from '$lib/office/ledger-line';
import type { Database } from '../db/schema';
import type { PointRecordStatus } from '../db/schema-office';
import { residentBalance } from '../ledger/balances';

export type { LedgerLine };

/*
 * Everything the office shows on one resident's page: household and its other members, cards,
 * balance, the full ledger newest first (what each entry was for, who recorded it, whether it
 * was corrected), and the points recorded for them that are still waiting or were refused
 * (those are not in the balance).
 */

export interface ResidentDetail {
	id: number;
	name: string;
	phone: string | null;
	active: boolean;
	movedOutAt: string | null;
	createdAt: string;
	household: {
		id: number;
		label: string;
		building: string;
		unit: string | null;
		room: string | null;
	};
	members: Array<{ id: number; name: string; active: boolean }>;
	cards: Array<{
		serial: number;
		issuedAt: string;
		revokedAt: string | null;
		revokedReason: string | null;
	}>;
	balance: number;
	ledger: LedgerLine[];
	/** Pending and refused point records, newest first. */
	pointRecords: Array<{
		id: number;
		ruleName: string;
		points: number;
		note: string | null;
		occurredOn: string;
		status: Exclude<PointRecordStatus, 'approved'>;
		refusalReason: string | null;
	}>;
}

interface PushedRedemption {
	payload?: { lines?: Array<{ itemId?: unknown; quantity?: unknown }> };
}

/** The names of the items these redemption lines name, by item id (one query). */
export async function itemNames(
	db: Kysely<Database>,
	communityId: number,
	lines: ReadonlyArray<{ itemId: number }>
): Promise<Map<number, string>> {
	const itemIds = [...new Set(lines.map((line) => line.itemId))];
	if (itemIds.length === 0) return new Map();
	const items = await db
		.selectFrom('items')
		.select(['id', 'name'])
		.where('community_id', '=', communityId)
		.where('id', 'in', itemIds)
		.execute();
	return new Map(items.map((item) => [item.id, item.name]));
}

/** Item lines of kiosk redemptions, by event id, from the events as they were pushed. */
export async function redemptionItems(
	db: Kysely<Database>,
	communityId: number,
	eventIds: string[]
): Promise<Map<string, string[]>> {
	const items = new Map<string, string[]>();
	if (eventIds.length === 0) return items;
	const events = await db
		.selectFrom('received_events')
		.select(['id', 'body'])
		.where('community_id', '=', communityId)
		.where('id', 'in', eventIds)
		.execute();
	const lines = new Map<string, Array<{ itemId: number; quantity: number }>>();
	for (const event of events) {
		try {
			const body = JSON.parse(event.body) as PushedRedemption;
			lines.set(
				event.id,
				(body.payload?.lines ?? []).map((line) => ({
					itemId: Number(line.itemId),
					quantity: Number(line.quantity)
				}))
			);
		} catch {
			// A body we cannot read shows no items; the points are still right.
		}
	}
	const names = await itemNames(db, communityId, [...lines.values()].flat());
	for (const [eventId, eventLines] of lines) {
		items.set(
			eventId,
			eventLines.map(
				(line) => `${names.get(line.itemId) ?? `物品${line.itemId}`} ×${line.quantity}`
			)
		);
	}
	return items;
}

async function ledgerLines(
	db: Kysely<Database>,
	communityId: number,
	residentId: number
): Promise<LedgerLine[]> {
	const entries = await db
		.selectFrom('ledger_entries')
		.leftJoin('point_rules', 'point_rules.id', 'ledger_entries.rule_id')
		.select([
			'ledger_entries.id',
			'ledger_entries.points',
			'ledger_entries.reason',
			'ledger_entries.rule_name',
			'point_rules.name as currentRuleName',
			'ledger_entries.note',
			'ledger_entries.event_id',
			'ledger_entries.actor_kind',
			'ledger_entries.actor_id',
			'ledger_entries.occurred_at',
			'ledger_entries.reverses_entry_id'
		])
		.where('ledger_entries.community_id', '=', communityId)
		.where('ledger_entries.resident_id', '=', residentId)
		.orderBy('ledger_entries.occurred_at', 'desc')
		.orderBy('ledger_entries.id', 'desc')
		.execute();
	const reversedBy = new Map<number, number>();
	for (const entry of entries) {
		if (entry.reverses_entry_id !== null) reversedBy.set(entry.reverses_entry_id, entry.id);
	}
	const actorIds = (kind: string) =>
		[...new Set(entries.filter((e) => e.actor_kind === kind).map((e) => e.actor_id))] as string[];
	const accountIds = actorIds('office_account').map(Number).filter(Number.isInteger);
	const deviceIds = actorIds('device');
	const accounts = new Map(
		accountIds.length === 0
			? []
			: (
					await db
						.selectFrom('office_accounts')
						.select(['id', 'display_name'])
						.where('id', 'in', accountIds)
						.execute()
				).map((a) => [String(a.id), a.display_name])
	);
	const devices = new Map(
		deviceIds.length === 0
			? []
			: (
					await db
						.selectFrom('devices')
						.select(['id', 'name'])
						.where('id', 'in', deviceIds)
						.execute()
				).map((d) => [d.id, d.name])
	);
	const items = await redemptionItems(
		db,
		communityId,
		entries.flatMap((e) => (e.reason === 'redemption' && e.event_id ? [e.event_id] : []))
	);
	return entries.map((entry) => ({
		id: entry.id,
		points: entry.points,
		reason: entry.reason,
		ruleName: entry.rule_name ?? entry.currentRuleName ?? null,
		note: entry.note,
		items: (entry.event_id && items.get(entry.event_id)) || [],
		actor:
			entry.actor_kind === 'office_account'
				? (accounts.get(entry.actor_id) ?? null)
				: entry.actor_kind === 'device'
					? (devices.get(entry.actor_id) ?? '柜台终端')
					: null,
		occurredAt: entry.occurred_at,
		reversesEntryId: entry.reverses_entry_id,
		reversedByEntryId: reversedBy.get(entry.id) ?? null
	}));
}

export async function residentDetail(
	db: Kysely<Database>,
	communityId: number,
	residentId: number
): Promise<ResidentDetail | null> {
	const resident = await db
		.selectFrom('residents')
		.innerJoin('households', 'households.id', 'residents.household_id')
		.select([
			'residents.id',
			'residents.name',
			'residents.phone',
			'residents.active',
			'residents.moved_out_at',
			'residents.created_at',
			'households.id as householdId',
			'households.label',
			'households.building',
			'households.unit',
			'households.room'
		])
		.where('residents.community_id', '=', communityId)
		.where('residents.id', '=', residentId)
		.executeTakeFirst();
	if (!resident) return null;
	const [members, cards, balance, ledger, pointRecords] = await Promise.all([
		db
			.selectFrom('residents')
			.select(['id', 'name', 'active'])
			.where('household_id', '=', resident.householdId)
			.where('id', '!=', residentId)
			.orderBy('active', 'desc')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('cards')
			.select(['serial', 'issued_at', 'revoked_at', 'revoked_reason'])
			.where('kind', '=', 'resident')
			.where('resident_id', '=', residentId)
			.orderBy('serial', 'desc')
			.execute(),
		residentBalance(db, residentId),
		ledgerLines(db, communityId, residentId),
		db
			.selectFrom('point_records')
			.select(['id', 'rule_name', 'points', 'note', 'occurred_on', 'status', 'refusal_reason'])
			.where('community_id', '=', communityId)
			.where('resident_id', '=', residentId)
			.where('status', 'in', ['pending', 'refused'])
			.orderBy('id', 'desc')
			.execute()
	]);
	return {
		id: resident.id,
		name: resident.name,
		phone: resident.phone,
		active: resident.active === 1,
		movedOutAt: resident.moved_out_at ?? null,
		createdAt: resident.created_at,
		household: {
			id: resident.householdId,
			label: resident.label,
			building: resident.building,
			unit: resident.unit ?? null,
			room: resident.room ?? null
		},
		members: members.map((m) => ({ id: m.id, name: m.name, active: m.active === 1 })),
		cards: cards.map((card) => ({
			serial: card.serial,
			issuedAt: card.issued_at,
			revokedAt: card.revoked_at,
			revokedReason: card.revoked_reason ?? null
		})),
		balance,
		ledger,
		pointRecords: pointRecords.map((record) => ({
			id: record.id,
			ruleName: record.rule_name,
			points: record.points,
			note: record.note,
			occurredOn: record.occurred_on,
			status: record.status as 'pending' | 'refused',
			refusalReason: record.refusal_reason
		}))
	};
}
