/**
 * Entering shop mode: a staff card checked offline like a resident card (signature, community,
 * revoked serials from the last pull), then the staff PIN checked against the synced slow hash.
 * Five wrong PINs lock that card out for five minutes; the state is kept in the database, so a
 * reload does not reset it. The office can unlock it (the staff snapshot's pinUnlocks count).
 */
import {
	afterPinAttempt,
	lockedUntil,
	triesLeft,
	UNLOCKED,
	withOfficeUnlocks
} from '$lib/domain/pin-lockout';
import { verifyPin } from '$lib/domain/pin';
import type { StaffSnapshot } from '$lib/protocol/sync';
import { verifyScannedCard } from '../card-lookup';
import type { KioskDb } from '../local-db';

export type StaffCardProblem =
	| 'not_enrolled'
	/** Not a card at all, or garbled. */
	| 'unreadable'
	/** Signed by another community. */
	| 'foreign'
	/** The signature does not verify. */
	| 'forged'
	/** A resident's card: it cannot open shop mode. */
	| 'not_staff'
	/** The last pull knows no such staff member. */
	| 'unknown'
	/** The card was revoked or replaced. */
	| 'revoked'
	/** The staff member is no longer active, or has no PIN yet. */
	| 'inactive';

export type StaffCardResult =
	{ ok: true; staff: StaffSnapshot } | { ok: false; problem: StaffCardProblem };

function isStaffSerialRevoked(staff: StaffSnapshot, serial: number): boolean {
	if (staff.revokedSerials.includes(serial)) return true;
	if (staff.activeSerials.includes(serial)) return false;
	return staff.activeSerials.some((active) => active > serial);
}

export async function findStaffByCredential(db: KioskDb, qrText: string): Promise<StaffCardResult> {
	const check = await verifyScannedCard(db, qrText);
	if (!check.ok) {
		const problems = {
			not_enrolled: 'not_enrolled',
			unreadable: 'unreadable',
			foreign_community: 'foreign',
			forged: 'forged'
		} as const;
		return { ok: false, problem: problems[check.problem] };
	}
	const { credential } = check;
	if (credential.kind !== 'staff') return { ok: false, problem: 'not_staff' };
	const staff = await db.staff.get(credential.subjectId);
	if (!staff) return { ok: false, problem: 'unknown' };
	if (isStaffSerialRevoked(staff, credential.serial)) return { ok: false, problem: 'revoked' };
	if (!staff.active || !staff.pin) return { ok: false, problem: 'inactive' };
	return { ok: true, staff };
}

export type PinCheckResult =
	| { ok: true; staff: StaffSnapshot }
	| { ok: false; reason: 'wrong'; triesLeft: number }
	| { ok: false; reason: 'locked'; until: Date }
	| { ok: false; reason: 'unknown_staff' };

export async function checkStaffPin(
	db: KioskDb,
	staffId: number,
	pin: string,
	now: Date = new Date()
): Promise<PinCheckResult> {
	const [staff, lock] = await Promise.all([db.staff.get(staffId), db.pinLocks.get(staffId)]);
	if (!staff || !staff.active || !staff.pin) return { ok: false, reason: 'unknown_staff' };
	const until = lockedUntil(withOfficeUnlocks(lock ?? UNLOCKED, staff.pinUnlocks), now);
	if (until) return { ok: false, reason: 'locked', until };

	// The slow hash runs outside any IndexedDB transaction (a transaction would commit while it
	// waits); the attempt is then counted against the state read again.
	const correct = await verifyPin(pin, staff.pin);
	const state = await db.transaction('rw', db.pinLocks, async () => {
		const current = withOfficeUnlocks(
			(await db.pinLocks.get(staffId)) ?? UNLOCKED,
			staff.pinUnlocks
		);
		const next = afterPinAttempt(current, correct, now);
		await db.pinLocks.put({ staffId, ...next });
		return next;
	});
	if (correct) return { ok: true, staff };
	const lockEnd = lockedUntil(state, now);
	if (lockEnd) return { ok: false, reason: 'locked', until: lockEnd };
	return { ok: false, reason: 'wrong', triesLeft: triesLeft(state) };
}

/** The lock's end for this staff card, if it is locked now. */
export async function staffPinLockedUntil(
	db: KioskDb,
	staffId: number,
	now: Date = new Date()
): Promise<Date | null> {
	const [staff, lock] = await Promise.all([db.staff.get(staffId), db.pinLocks.get(staffId)]);
	return lockedUntil(withOfficeUnlocks(lock ?? UNLOCKED, staff?.pinUnlocks), now);
}
