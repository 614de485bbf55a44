import { describe, expect, it } from 'vitest';
import {
	afterPinAttempt,
	lockedUntil,
	triesLeft,
	UNLOCKED,
	withOfficeUnlocks,
	type PinLockState
} from './pin-lockout';

const T0 = new Date('2025-06-01T10:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function wrong(times: number, state: PinLockState = UNLOCKED, now = T0): PinLockState {
	for (let i = 0; i < times; i++) state = afterPinAttempt(state, false, now);
	return state;
}

describe('the PIN lock-out', () => {
	it('counts down the tries and locks for five minutes at the fifth wrong PIN', () => {
		expect(triesLeft(wrong(4))).toBe(1);
		expect(lockedUntil(wrong(4), T0)).toBeNull();
		const locked = wrong(5);
		expect(lockedUntil(locked, at(1))).toEqual(at(300));
		expect(lockedUntil(locked, at(299))).toEqual(at(300));
		expect(lockedUntil(locked, at(300))).toBeNull();
	});

	it('starts a fresh count after the lock ran out', () => {
		const after = wrong(1, wrong(5), at(301));
		expect(after).toEqual({ failures: 1, lockedUntil: null });
		expect(triesLeft(after)).toBe(4);
	});

	it('forgets the wrong tries after a right PIN', () => {
		expect(afterPinAttempt(wrong(3), true, T0)).toEqual(UNLOCKED);
	});

	it('forgets a lock when the office unlocked the card since', () => {
		const locked = withOfficeUnlocks(wrong(5), 0);
		expect(lockedUntil(locked, at(1))).not.toBeNull();
		const unlocked = withOfficeUnlocks(locked, 1);
		expect(lockedUntil(unlocked, at(1))).toBeNull();
		expect(triesLeft(unlocked)).toBe(5);
	});

	it('takes in one office unlock once: a lock made after it stays until the next one', () => {
		const seen = withOfficeUnlocks(UNLOCKED, 2);
		const lockedAgain = wrong(5, seen);
		expect(lockedAgain.unlocksSeen).toBe(2);
		expect(lockedUntil(withOfficeUnlocks(lockedAgain, 2), at(1))).not.toBeNull();
		expect(lockedUntil(withOfficeUnlocks(lockedAgain, 3), at(1))).toBeNull();
	});

	it('reads a snapshot without an unlock count (an older server) as no unlock', () => {
		const locked = wrong(5);
		expect(withOfficeUnlocks(locked, undefined)).toBe(locked);
	});
});
