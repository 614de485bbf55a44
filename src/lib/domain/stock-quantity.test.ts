import { describe, expect, it } from 'vitest';
import { isStockQuantity, parseStockQuantity } from './stock-quantity';

describe('stock quantities from the keypad', () => {
	it('takes whole numbers from 1 to 100000', () => {
		expect(parseStockQuantity('1')).toBe(1);
		expect(parseStockQuantity(' 24 ')).toBe(24);
		expect(parseStockQuantity('100000')).toBe(100_000);
	});

	it.each(['', '0', '-1', '1.5', '1e3', '100001', '1000000000', 'abc', null, undefined])(
		'refuses %j',
		(entry) => {
			expect(parseStockQuantity(entry)).toBeNull();
		}
	);

	it('takes 0 for a count of an empty shelf', () => {
		expect(parseStockQuantity('0', { allowZero: true })).toBe(0);
		expect(isStockQuantity(0, true)).toBe(true);
		expect(isStockQuantity(0)).toBe(false);
		expect(isStockQuantity(Number.NaN)).toBe(false);
		expect(isStockQuantity(2.5)).toBe(false);
	});
});
