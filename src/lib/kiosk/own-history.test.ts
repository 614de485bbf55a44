import { describe, expect, it } from 'vitest';
import { historyDateLabel, signedPoints } from './own-history.svelte';

describe('我的积分记录 texts', () => {
	it('writes dates as 12月3日, with the year only when it is not this year', () => {
		expect(historyDateLabel('2026-12-03', 2026)).toBe('12月3日');
		expect(historyDateLabel('2025-01-20', 2026)).toBe('2025年1月20日');
	});

	it('writes the sign of the points out, not only in colour', () => {
		expect(signedPoints(10)).toBe('+10');
		expect(signedPoints(-5)).toBe('−5');
		expect(signedPoints(0)).toBe('0');
	});
});
