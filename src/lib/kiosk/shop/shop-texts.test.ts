import { describe, expect, it } from 'vitest';
import { formatDateTime, formatTime } from './shop-texts';

// 2026-11-22 01:05 UTC: 09:05 on the 22nd in Shanghai, 20:05 on the 21st in New York.
const AT = '2026-11-22T01:05:00Z';

describe('shop mode times', () => {
	it('shows a redemption of today by its time only, on the community’s clock', () => {
		const now = Date.parse('2026-11-22T03:00:00Z');
		expect(formatTime(AT, 'Asia/Shanghai', now)).toBe('09:05');
		expect(formatTime(AT, 'America/New_York', now)).toBe('20:05');
	});

	it('adds the date when the community’s day has turned since', () => {
		// 2026-11-22 08:00 in New York: the redemption was yesterday evening there.
		const now = Date.parse('2026-11-22T13:00:00Z');
		expect(formatTime(AT, 'America/New_York', now)).toBe('11月21日 20:05');
		expect(formatTime(AT, 'Asia/Shanghai', now)).toBe('09:05');
	});

	it('writes the closing time of a day report in the community’s zone', () => {
		expect(formatDateTime(AT, 'Asia/Shanghai')).toBe('2026-11-22 09:05');
		expect(formatDateTime(AT, 'America/New_York')).toBe('2026-11-21 20:05');
	});

	it('shows nothing odd for a time it cannot read', () => {
		expect(formatTime('garbage', 'Asia/Shanghai')).toBe('');
		expect(formatDateTime('garbage', 'Asia/Shanghai')).toBe('garbage');
	});
});
