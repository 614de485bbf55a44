import { describe, expect, it } from 'vitest';
import { balanceOf, isOverdrawn, redemptionTotal, wouldOverdraw } from './ledger';

describe('ledger math', () => {
	it('makes a balance the sum of signed entries', () => {
		expect(balanceOf([{ points: 20 }, { points: -5 }, { points: 2 }, { points: -10 }])).toBe(7);
	});

	it('gives an empty ledger a zero balance', () => {
		expect(balanceOf([])).toBe(0);
	});

	it('prices a cart by quantity times the unit points the resident saw', () => {
		expect(
			redemptionTotal([
				{ quantity: 2, unitPoints: 15 },
				{ quantity: 1, unitPoints: 80 }
			])
		).toBe(110);
	});

	it('lets a resident spend exactly the balance but not a point more', () => {
		expect(wouldOverdraw(30, 30)).toBe(false);
		expect(wouldOverdraw(30, 31)).toBe(true);
	});

	it('calls only a balance below zero overdrawn', () => {
		expect(isOverdrawn(0)).toBe(false);
		expect(isOverdrawn(-1)).toBe(true);
	});
});
