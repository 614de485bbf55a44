import { PIN_LOCK_MS, PIN_MAX_TRIES } from '$lib/protocol/limits';

/*
 * The staff PIN lock-out: five wrong PINs in a row lock the card out of shop mode for five
 * minutes; a right PIN (or the end of the lock) starts the count again. Pure: the kiosk keeps
 * the state in its database so a reload does not reset it.
 */

export interface PinLockState {
	failures: number;
	/** ISO time until which the card is locked; null when not locked. */
	lockedUntil: string | null;
	/** The office's unlock count (StaffSnapshot.pinUnlocks) this state already took in. */
	unlocksSeen?: number;
}

export const UNLOCKED: PinLockState = { failures: 0, lockedUntil: null };

/** The lock's end if the card is locked at `now`, else null. */
export function lockedUntil(state: PinLockState, now: Date): Date | null {
	if (!state.lockedUntil) return null;
	const until = new Date(state.lockedUntil);
	return until.getTime() > now.getTime() ? until : null;
}

/**
 * The state once the office's unlocks are taken in: the office (账号 › 解锁) counts its unlocks
 * and the count reaches the kiosk on the staff snapshot; a count higher than the one this state
 * saw means the office unlocked the card since, so the wrong tries are forgotten. A count, not a
 * time: the kiosk's clock may be wrong, and an unlock must not be undone by a later pull.
 */
export function withOfficeUnlocks(state: PinLockState, officeUnlocks = 0): PinLockState {
	if (officeUnlocks > (state.unlocksSeen ?? 0)) {
		return { failures: 0, lockedUntil: null, unlocksSeen: officeUnlocks };
	}
	return state;
}

/** The state after one attempt (only call it when the card is not locked). */
export function afterPinAttempt(state: PinLockState, correct: boolean, now: Date): PinLockState {
	if (correct) return { ...state, failures: 0, lockedUntil: null };
	// A lock that ran out starts a fresh count.
	const failures = (state.lockedUntil ? 0 : state.failures) + 1;
	if (failures >= PIN_MAX_TRIES) {
		return {
			...state,
			failures,
			lockedUntil: new Date(now.getTime() + PIN_LOCK_MS).toISOString()
		};
	}
	return { ...state, failures, lockedUntil: null };
}

export function triesLeft(state: PinLockState): number {
	return Math.max(0, PIN_MAX_TRIES - state.failures);
}
