import { describe, expect, it } from 'vitest';
import { REVIEW_FLAG_KINDS } from '$lib/protocol/review-flags';
import { flaggedRedemptionTitle, REVIEW_FLAG_TEXTS } from './shop-texts';

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
