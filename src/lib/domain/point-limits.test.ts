import { describe, expect, it } from 'vitest';
import {
	daysBetween,
	isCalendarDay,
	limitPeriodRange,
	occurredOnProblem,
	shortChineseDay
} from './point-limits';

describe('limitPeriodRange', () => {
	it('is the day itself for a daily limit', () => {
		expect(limitPeriodRange('day', '2026-12-06')).toEqual({
			first: '2026-12-06',
			last: '2026-12-06'
		});
	});

	it('runs Monday to Sunday for a weekly limit', () => {
		// 2026-12-06 is a Sunday, 2026-12-07 a Monday.
		expect(limitPeriodRange('week', '2026-12-06')).toEqual({
			first: '2026-11-30',
			last: '2026-12-06'
		});
		expect(limitPeriodRange('week', '2026-12-07')).toEqual({
			first: '2026-12-07',
			last: '2026-12-13'
		});
	});

	it('runs over the calendar month, leap years included', () => {
		expect(limitPeriodRange('month', '2028-02-10')).toEqual({
			first: '2028-02-01',
			last: '2028-02-29'
		});
		expect(limitPeriodRange('month', '2026-12-31')).toEqual({
			first: '2026-12-01',
			last: '2026-12-31'
		});
	});
});

describe('occurredOnProblem', () => {
	it('accepts today and the last 90 days', () => {
		expect(occurredOnProblem('2026-12-06', '2026-12-06')).toBeNull();
		expect(occurredOnProblem('2026-09-07', '2026-12-06')).toBeNull();
	});

	it('refuses a future day, a day older than 90 days, and a day that does not exist', () => {
		expect(occurredOnProblem('2026-12-07', '2026-12-06')).toBe('in_the_future');
		expect(occurredOnProblem('2026-09-06', '2026-12-06')).toBe('too_old');
		expect(occurredOnProblem('2026-02-30', '2026-12-06')).toBe('not_a_day');
		expect(occurredOnProblem('6/12/2026', '2026-12-06')).toBe('not_a_day');
	});
});

describe('day helpers', () => {
	it('counts days and says a day the Chinese way', () => {
		expect(daysBetween('2026-11-30', '2026-12-06')).toBe(6);
		expect(isCalendarDay('2026-13-01')).toBe(false);
		expect(shortChineseDay('2026-12-06')).toBe('12月6日');
	});
});
