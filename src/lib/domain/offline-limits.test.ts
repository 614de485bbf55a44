import { describe, expect, it } from 'vitest';
import {
	decideRedemption,
	isPullTooOld,
	offlineSpendLeft,
	type RedemptionRules
} from './offline-limits';

const now = Date.parse('2025-06-01T10:00:00Z');
const hoursAgo = (hours: number) => new Date(now - hours * 3_600_000).toISOString();

const rules: RedemptionRules = {
	totalPoints: 30,
	availablePoints: 100,
	lines: [{ quantity: 1, stockTracked: true, stockAvailable: 3 }],
	offline: false,
	offlineDailyLimit: 50,
	spentOfflineToday: 0,
	lastPullAt: hoursAgo(1),
	offlineMaxAgeHours: 72,
	now
};

describe('offline limits', () => {
	it('leaves what the daily offline limit allows, never less than zero', () => {
		expect(offlineSpendLeft(50, 20)).toBe(30);
		expect(offlineSpendLeft(50, 80)).toBe(0);
	});

	it('calls a pull too old past the maximum age, and when there never was one', () => {
		expect(isPullTooOld(hoursAgo(71), 72, now)).toBe(false);
		expect(isPullTooOld(hoursAgo(73), 72, now)).toBe(true);
		expect(isPullTooOld(null, 72, now)).toBe(true);
		expect(isPullTooOld('not a date', 72, now)).toBe(true);
	});

	it('allows a redemption within balance, stock and limits', () => {
		expect(decideRedemption(rules)).toEqual({ allowed: true });
	});

	it('refuses with the reason the counter shows', () => {
		const refused = (change: Partial<RedemptionRules>) => decideRedemption({ ...rules, ...change });
		expect(refused({ lastPullAt: hoursAgo(100) })).toEqual({
			allowed: false,
			reason: 'pull_too_old'
		});
		expect(refused({ lines: [{ quantity: 4, stockTracked: true, stockAvailable: 3 }] })).toEqual({
			allowed: false,
			reason: 'out_of_stock'
		});
		expect(refused({ availablePoints: 29 })).toEqual({
			allowed: false,
			reason: 'insufficient_points'
		});
		expect(refused({ offline: true, spentOfflineToday: 30 })).toEqual({
			allowed: false,
			reason: 'offline_daily_limit'
		});
	});

	it('applies the daily limit only while offline', () => {
		expect(decideRedemption({ ...rules, spentOfflineToday: 50 })).toEqual({ allowed: true });
		expect(decideRedemption({ ...rules, offline: true, spentOfflineToday: 20 })).toEqual({
			allowed: true
		});
	});

	it('ignores stock for services and courses', () => {
		const lines = [{ quantity: 5, stockTracked: false, stockAvailable: 0 }];
		expect(decideRedemption({ ...rules, lines })).toEqual({ allowed: true });
	});
});
