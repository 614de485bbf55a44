import { describe, expect, it } from 'vitest';
import { isTodayClosed, nextDate, shopBusinessDate } from './shop-business-date';

const ZONE = 'Asia/Shanghai';

describe('the shop business date', () => {
	it('is the calendar date in the community zone while the day is open', () => {
		// 23:30 UTC is 07:30 the next morning in Shanghai.
		expect(shopBusinessDate(new Date('2025-06-01T23:30:00Z'), ZONE, null)).toBe('2025-06-02');
		expect(shopBusinessDate(new Date('2025-06-01T10:00:00Z'), ZONE, '2025-05-31')).toBe(
			'2025-06-01'
		);
	});

	it('moves events after closing day D to D + 1, across month and year ends', () => {
		expect(shopBusinessDate(new Date('2025-06-01T12:00:00Z'), ZONE, '2025-06-01')).toBe(
			'2025-06-02'
		);
		expect(shopBusinessDate(new Date('2025-06-30T12:00:00Z'), ZONE, '2025-06-30')).toBe(
			'2025-07-01'
		);
		expect(shopBusinessDate(new Date('2025-12-31T12:00:00Z'), ZONE, '2025-12-31')).toBe(
			'2026-01-01'
		);
		// The next morning the calendar and the shop agree again.
		expect(shopBusinessDate(new Date('2025-06-02T02:00:00Z'), ZONE, '2025-06-01')).toBe(
			'2025-06-02'
		);
	});

	it('knows whether today is closed already', () => {
		const evening = new Date('2025-06-01T12:00:00Z');
		expect(isTodayClosed(evening, ZONE, '2025-06-01')).toBe(true);
		expect(isTodayClosed(evening, ZONE, '2025-05-31')).toBe(false);
		expect(isTodayClosed(evening, ZONE, undefined)).toBe(false);
	});

	it('counts days by the calendar', () => {
		expect(nextDate('2024-02-28')).toBe('2024-02-29');
		expect(nextDate('2025-02-28')).toBe('2025-03-01');
	});
});
