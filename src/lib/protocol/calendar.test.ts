import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { BusinessDateSchema, IsoTimeSchema, isCalendarDay } from './calendar';

describe('calendar schemas', () => {
	it('accepts real days, leap days included', () => {
		for (const day of ['2026-01-31', '2024-02-29', '2000-02-29', '2026-12-31']) {
			expect(isCalendarDay(day)).toBe(true);
		}
	});

	it('refuses days that are not on the calendar', () => {
		for (const day of [
			'2026-02-31',
			'2026-02-29',
			'1900-02-29',
			'2026-04-31',
			'2026-13-01',
			'2026-00-10'
		]) {
			expect(v.is(BusinessDateSchema, day)).toBe(false);
		}
	});

	it('refuses times in years no shop clock can show', () => {
		expect(v.is(IsoTimeSchema, '2026-03-01T08:00:00.000Z')).toBe(true);
		expect(v.is(IsoTimeSchema, '2026-03-01T08:00:00+08:00')).toBe(true);
		for (const time of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-31T08:00:00Z']) {
			expect(v.is(IsoTimeSchema, time)).toBe(false);
		}
	});
});
