import type { Kysely } from 'kysely';
import { hashPin } from '$lib/domain/pin';
import type { Database } from '../db/schema';
import type { StaffRole } from '../db/schema-shop';
import { recordStaffChanges } from '../sync/change-feed';

/*
 * Making an office account a shop staff member: its shop role, its PIN (hashed here with the
 * same PBKDF2 code the kiosk verifies with) and a staff card, announced on the change feed so
 * kiosks can let the card in offline.
 */

export interface NewStaffMember {
	communityId: number;
	/** The office account that becomes a staff member. */
	accountId: number;
	role: StaffRole;
	pin: string;
}

/** Answers the new card's serial. Call inside the caller's transaction. */
export async function addStaffMember(
	db: Kysely<Database>,
	member: NewStaffMember,
	now: Date = new Date()
): Promise<{ staffId: number; serial: number }> {
	const pin = await hashPin(member.pin);
	await db
		.insertInto('staff_members')
		.values({
			id: member.accountId,
			community_id: member.communityId,
			role: member.role,
			pin_iterations: pin.iterations,
			pin_salt: pin.salt,
			pin_hash: pin.hash,
			active: 1,
			created_at: now.toISOString()
		})
		.execute();
	const serial = 1;
	await db
		.insertInto('cards')
		.values({
			community_id: member.communityId,
			kind: 'staff',
			office_account_id: member.accountId,
			serial,
			issued_at: now.toISOString()
		})
		.execute();
	await recordStaffChanges(db, member.communityId, [member.accountId], now);
	return { staffId: member.accountId, serial };
}
