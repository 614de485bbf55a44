import { describe, expect, it } from 'vitest';
import { quarterOf } from './quarter';

describe('quarterOf', () => {
	it('names the quarter of a date', () => {
		expect(quarterOf(new Date('2026-02-15T04:00:00Z'))).toBe('2026-Q1');
		expect(quarterOf(new Date('2026-05-01T04:00:00Z'))).toBe('2026-Q2');
		expect(quarterOf(new Date('2026-09-30T04:00:00Z'))).toBe('2026-Q3');
		expect(quarterOf(new Date('2026-11-22T04:00:00Z'))).toBe('2026-Q4');
	});

	it('turns the quarter at midnight in Asia/Shanghai, eight hours before UTC does', () => {
		expect(quarterOf(new Date('2026-12-31T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-Q4');
		expect(quarterOf(new Date('2026-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2027-Q1');
		expect(quarterOf(new Date('2026-12-31T16:00:00Z'), 'UTC')).toBe('2026-Q4');
	});

	it('falls back to Asia/Shanghai for an unknown time zone', () => {
		expect(quarterOf(new Date('2026-03-31T16:30:00Z'), 'Mars/Olympus')).toBe('2026-Q2');
	});
});
