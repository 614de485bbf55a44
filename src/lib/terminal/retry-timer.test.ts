import { describe, expect, it } from 'vitest';
import { backoffDelay, nextTryDelay } from './retry-timer';

describe('retry timer', () => {
	it('doubles from 2 s up to 5 min with at least half of it always waited', () => {
		expect(backoffDelay(1, () => 0)).toBe(1000);
		expect(backoffDelay(1, () => 0.999_999)).toBe(2000);
		expect(backoffDelay(3, () => 0.999_999)).toBe(8000);
		expect(backoffDelay(50, () => 0.999_999)).toBe(300_000);
		expect(backoffDelay(50, () => 0)).toBe(150_000);
	});

	it('waits the healthy interval after a success and backs off after failures', () => {
		const policy = { healthyMs: 30_000, baseMs: 10_000, maxMs: 60_000, random: () => 0.999_999 };
		expect(nextTryDelay(0, policy)).toBe(30_000);
		expect(nextTryDelay(1, policy)).toBe(10_000);
		expect(nextTryDelay(2, policy)).toBe(20_000);
		expect(nextTryDelay(9, policy)).toBe(60_000);
	});
});
