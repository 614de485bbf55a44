import { describe, expect, it } from 'vitest';
import {
	clockText,
	dateText,
	dateTimeText,
	freshnessText,
	monthDayText,
	officeDateTimeText,
	recentTimeText
} from './zoned-time';

// 2026-11-22 01:05 UTC: already 09:05 on Sunday in Shanghai, still 20:05 on Saturday in New York.
const AT = Date.parse('2026-11-22T01:05:09Z');

describe('zoned time', () => {
	it('tells the time on the community’s clock, not the machine’s', () => {
		expect(clockText(AT, 'Asia/Shanghai')).toBe('09:05');
		expect(clockText(AT, 'America/New_York')).toBe('20:05');
		expect(dateText(AT, 'Asia/Shanghai')).toBe('11月22日 星期日');
		expect(dateText(AT, 'America/New_York')).toBe('11月21日 星期六');
		expect(dateTimeText(AT, 'America/New_York')).toBe('2026-11-21 20:05');
		expect(officeDateTimeText('2026-11-22T01:05:09Z', 'Asia/Shanghai')).toBe('2026/11/22 09:05:09');
	});

	it('writes midnight as 00, and falls back to Shanghai for an unknown zone', () => {
		expect(clockText(Date.parse('2026-11-21T16:00:00Z'), 'Asia/Shanghai')).toBe('00:00');
		expect(clockText(AT, 'Mars/Olympus_Mons')).toBe('09:05');
	});

	it('says plainly when there is no time to show', () => {
		expect(officeDateTimeText(null, 'Asia/Shanghai')).toBe('—');
		expect(freshnessText(null, 'Asia/Shanghai')).toBe('尚未连上服务器');
		expect(freshnessText('2026-11-22T01:05:09Z', 'Asia/Shanghai')).toBe(
			'内容更新于 11月22日 09:05'
		);
	});

	it('gives the month and day on the community’s calendar', () => {
		expect(monthDayText(AT, 'Asia/Shanghai')).toBe('11月22日');
		expect(monthDayText(AT, 'America/New_York')).toBe('11月21日');
	});

	it('leaves the date out of a recent time only when it is the same day in the community', () => {
		// 2026-11-22 09:00 in Shanghai, 2026-11-21 20:00 in New York.
		const now = Date.parse('2026-11-22T01:00:00Z');
		const lastEvening = Date.parse('2026-11-21T12:30:00Z');
		expect(recentTimeText(AT, now, 'Asia/Shanghai')).toBe('09:05');
		expect(recentTimeText(lastEvening, now, 'Asia/Shanghai')).toBe('11月21日 20:30');
		expect(recentTimeText(lastEvening, now, 'America/New_York')).toBe('07:30');
	});
});
