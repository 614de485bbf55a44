import { maskName } from '$lib/domain/masking';
import type {
	CommunitySnapshot,
	EarnRuleSummary,
	ItemSnapshot,
	ResidentSnapshot,
	StaffSnapshot
} from '$lib/protocol/sync';
import type { CommunityRow, ItemRow } from '../db/schema';
import type { StaffMemberRow } from '../db/schema-shop';

/*
 * What the change feed carries for each entity: exactly the protocol's shapes (protocol/sync.ts),
 * and never more. Raw names stop here: a resident leaves the server with a masked name only.
 */

export function communitySnapshot(
	community: CommunityRow,
	earnRules: EarnRuleSummary[]
): CommunitySnapshot {
	return {
		id: community.id,
		name: community.name,
		timeZone: community.time_zone,
		publicKey: community.public_key,
		offlineDailyLimit: community.offline_daily_limit,
		offlineMaxAgeHours: community.offline_max_age_hours,
		countDifferenceLimit: community.count_difference_limit,
		earnRules
	};
}

export interface ResidentFacts {
	id: number;
	name: string;
	household: string;
	building: string;
	balance: number;
	cards: ReadonlyArray<{ serial: number; revoked: boolean }>;
	/** False once the resident moved out. */
	active: boolean;
}

export function residentSnapshot(resident: ResidentFacts): ResidentSnapshot {
	const serials = (revoked: boolean) =>
		resident.cards
			.filter((card) => card.revoked === revoked)
			.map((card) => card.serial)
			.sort((a, b) => a - b);
	return {
		id: resident.id,
		maskedName: maskName(resident.name),
		household: resident.household,
		building: resident.building,
		balance: resident.balance,
		activeSerials: serials(false),
		revokedSerials: serials(true),
		active: resident.active
	};
}

export function itemSnapshot(item: ItemRow, stock: number): ItemSnapshot {
	return {
		id: item.id,
		name: item.name,
		category: item.category,
		kind: item.kind,
		points: item.points,
		stockTracked: item.stock_tracked === 1,
		stock: item.stock_tracked === 1 ? stock : 0,
		imageUrl: item.image_url,
		active: item.active === 1,
		sortOrder: item.sort_order
	};
}

/**
 * A staff member as the kiosk keeps them: their own name (staff are not residents), shop role,
 * PIN hash for the offline check, card serials, and the office's PIN unlock count.
 */
export function staffSnapshot(
	member: StaffMemberRow,
	name: string,
	cards: ReadonlyArray<{ serial: number; revoked: boolean }>
): StaffSnapshot {
	const serials = (revoked: boolean) =>
		cards
			.filter((card) => card.revoked === revoked)
			.map((card) => card.serial)
			.sort((a, b) => a - b);
	return {
		id: member.id,
		name,
		role: member.role,
		active: member.active === 1,
		pin: {
			algorithm: 'PBKDF2-SHA-256',
			iterations: member.pin_iterations,
			salt: member.pin_salt,
			hash: member.pin_hash
		},
		activeSerials: serials(false),
		revokedSerials: serials(true),
		pinUnlocks: member.pin_unlocks
	};
}
