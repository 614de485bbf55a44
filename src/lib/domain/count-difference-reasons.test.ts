import { describe, expect, it } from 'vitest';
import {
	countDifferenceReasons,
	differenceText,
	OVER_REASONS,
	reasonStillFits,
	SHORT_REASONS
} from './count-difference-reasons';

describe('count difference reasons', () => {
	it('offers losses and unrecorded outflow when the shelf holds fewer than the books', () => {
		const reasons = countDifferenceReasons(-1);
		expect(reasons).toBe(SHORT_REASONS);
		expect(reasons).toContain('漏记出库');
		expect(reasons).toContain('过期下架');
		expect(reasons).not.toContain('漏记入库');
	});

	it('offers unrecorded receipts when the shelf holds more than the books', () => {
		const reasons = countDifferenceReasons(3);
		expect(reasons).toBe(OVER_REASONS);
		expect(reasons).toContain('漏记入库');
		expect(reasons).not.toContain('漏记出库');
		expect(reasons).not.toContain('过期下架');
	});

	it('offers nothing when the count matches the books', () => {
		expect(countDifferenceReasons(0)).toEqual([]);
	});

	it('keeps a reason through a recount only while the shelf differs the same way', () => {
		expect(reasonStillFits(-2, -1)).toBe(true);
		expect(reasonStillFits(2, 5)).toBe(true);
		expect(reasonStillFits(-2, 1)).toBe(false);
		expect(reasonStillFits(2, -1)).toBe(false);
		expect(reasonStillFits(2, 0)).toBe(false);
		expect(reasonStillFits(null, 1)).toBe(false);
	});

	it('says a difference in words', () => {
		expect(differenceText(-2)).toBe('少了 2 件');
		expect(differenceText(3)).toBe('多了 3 件');
	});
});
