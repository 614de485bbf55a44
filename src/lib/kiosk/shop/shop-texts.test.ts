import { describe, expect, it } from 'vitest';
import { REVIEW_FLAG_KINDS } from '$lib/protocol/review-flags';
import {
	flaggedRedemptionTitle,
	formatDateTime,
	formatTime,
	REVIEW_FLAG_TEXTS
} from './shop-texts';

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

describe('the heading of a flagged redemption in shop mode', () => {
	it('says 超支 only for an overdraw', () => {
		expect(flaggedRedemptionTitle(['overdrawn'])).toBe('兑换超支');
	});

	it('says a revoked card was used, not 超支', () => {
		expect(flaggedRedemptionTitle(['revoked_card'])).toBe('用挂失的卡兑换');
	});

	it('says the resident has moved out', () => {
		expect(flaggedRedemptionTitle(['moved_out'])).toBe('已迁出的居民兑换');
	});

	it('names every kind the server gave, in its order', () => {
		expect(flaggedRedemptionTitle(['overdrawn', 'revoked_card'])).toBe('兑换超支，用挂失的卡兑换');
	});

	it('says only that it needs review when the server named no kind', () => {
		expect(flaggedRedemptionTitle(undefined)).toBe('兑换需复核');
		expect(flaggedRedemptionTitle([])).toBe('兑换需复核');
	});

	it('has a text of its own for every kind', () => {
		const texts = REVIEW_FLAG_KINDS.map((kind) => REVIEW_FLAG_TEXTS[kind]);
		expect(new Set(texts).size).toBe(REVIEW_FLAG_KINDS.length);
	});
});
