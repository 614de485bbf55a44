import { describe, expect, it } from 'vitest';
import { businessDate } from './business-date';

describe('businessDate', () => {
	it('is the calendar date in the community time zone, not in UTC', () => {
		const lateUtc = new Date('2025-03-31T16:30:00Z');
		expect(businessDate(lateUtc, 'Asia/Shanghai')).toBe('2025-04-01');
		expect(businessDate(lateUtc, 'UTC')).toBe('2025-03-31');
		expect(businessDate(lateUtc, 'America/New_York')).toBe('2025-03-31');
	});

	it('defaults to Asia/Shanghai and falls back to it for an unknown zone name', () => {
		const at = Date.parse('2025-12-31T17:00:00Z');
		expect(businessDate(at)).toBe('2026-01-01');
		expect(businessDate(at, 'Not/AZone')).toBe('2026-01-01');
	});
});
