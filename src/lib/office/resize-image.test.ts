import { describe, expect, it } from 'vitest';
import { fittedSize } from './resize-image';

describe('fittedSize', () => {
	it('shrinks the longer side to the limit and keeps the proportions', () => {
		expect(fittedSize(4000, 3000, 800)).toEqual({ width: 800, height: 600 });
		expect(fittedSize(3000, 4000, 800)).toEqual({ width: 600, height: 800 });
	});

	it('never enlarges a small picture, nor makes a side of zero', () => {
		expect(fittedSize(300, 200, 800)).toEqual({ width: 300, height: 200 });
		expect(fittedSize(10000, 1, 800)).toEqual({ width: 800, height: 1 });
	});
});
