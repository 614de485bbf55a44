import { describe, expect, it } from 'vitest';
import { formatLastSync } from './format-last-sync';

describe('formatLastSync', () => {
	// 2026-03-02 15:00 in Shanghai, 02:00 the same day in New York.
	const now = Date.parse('2026-03-02T07:00:00Z');

	it('shows only the time for a sync earlier today on the community’s clock', () => {
		expect(formatLastSync('2026-03-02T01:05:00Z', 'Asia/Shanghai', now)).toBe('09:05');
		expect(formatLastSync(Date.parse('2026-03-02T06:30:00Z'), 'America/New_York', now)).toBe(
			'01:30'
		);
	});

	it('adds the date for a sync on another day in the community’s zone', () => {
		// Still 2026-03-01 in New York, already 03-02 in Shanghai.
		const late = new Date('2026-03-02T01:05:00Z');
		expect(formatLastSync(late, 'America/New_York', now)).toBe('3月1日 20:05');
		expect(formatLastSync('2026-02-27T10:30:00Z', 'Asia/Shanghai', now)).toBe('2月27日 18:30');
	});

	it('says nothing when there never was a sync or the time is garbage', () => {
		expect(formatLastSync(null, 'Asia/Shanghai', now)).toBeNull();
		expect(formatLastSync('not a date', 'Asia/Shanghai', now)).toBeNull();
	});
});
