import { describe, expect, it } from 'vitest';
import { formatLastSync } from './format-last-sync';

describe('formatLastSync', () => {
	const now = new Date(2026, 2, 2, 15, 0);

	it('shows only the time for a sync earlier today', () => {
		expect(formatLastSync(new Date(2026, 2, 2, 9, 5), now)).toBe('09:05');
	});

	it('adds the date for a sync on another day', () => {
		expect(formatLastSync(new Date(2026, 1, 27, 18, 30).toISOString(), now)).toBe('2月27日 18:30');
	});

	it('says nothing when there never was a sync or the time is garbage', () => {
		expect(formatLastSync(null, now)).toBeNull();
		expect(formatLastSync('not a date', now)).toBeNull();
	});
});
