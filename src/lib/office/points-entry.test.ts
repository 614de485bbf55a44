import { describe, expect, it } from 'vitest';
import { PointsEntry } from './points-entry.svelte';

describe('PointsEntry', () => {
	it('keeps each resident once, whether ticked or scanned, and starts over', () => {
		const entry = new PointsEntry();
		expect(entry.add({ id: 1, name: '王秀英', household: '3栋2单元501' })).toBe(true);
		expect(entry.add({ id: 1, name: '王*英', household: '3栋2单元501' })).toBe(false);
		entry.set({ id: 2, name: '李建国', household: '3栋2单元501' }, true);
		expect(entry.chosen.map((r) => r.id)).toEqual([1, 2]);
		entry.set({ id: 1, name: '王秀英', household: '3栋2单元501' }, false);
		expect(entry.count).toBe(1);
		entry.step = 'confirm';
		entry.clear();
		expect([entry.count, entry.step]).toEqual([0, 'form']);
	});
});
