import { describe, expect, it } from 'vitest';
import { CountSheet } from './count-sheet.svelte';
import type { ClosingLine, ClosingSheet } from './shop-port';

function line(itemId: number, expected: number): ClosingLine {
	return {
		itemId,
		name: `物品${itemId}`,
		opening: expected,
		received: 0,
		redeemed: 0,
		voided: 0,
		lost: 0,
		expected
	};
}

function sheet(lines: ClosingLine[], limit = 3): ClosingSheet {
	return {
		businessDate: '2026-11-22',
		alreadyClosed: false,
		lines,
		countDifferenceLimit: limit,
		unclosedEarlierDays: []
	};
}

describe('CountSheet', () => {
	it('marks a difference, asks its reason, and asks a manager beyond the limit', () => {
		const count = new CountSheet(sheet([line(1, 10), line(2, 5)]));
		count.confirmExpected(1);
		count.setCounted(2, 4);
		expect(count.differences.map((row) => row.difference)).toEqual([-1]);
		expect(count.missingReasons).toHaveLength(1);
		expect(count.needsApproval).toBe(false);
		count.setReason(2, '破损未报');
		expect(count.missingReasons).toHaveLength(0);
		count.setCounted(2, 1);
		expect(count.needsApproval).toBe(true);
		expect(count.entries()).toEqual([
			{ itemId: 1, expected: 10, counted: 10 },
			{ itemId: 2, expected: 5, counted: 1, reason: '破损未报' }
		]);
	});

	it('does not take 数量一致 for an item the books say is below zero', () => {
		const count = new CountSheet(sheet([line(1, -1)]));
		count.confirmExpected(1);
		expect(count.rows[0]?.counted).toBeNull();
		count.setCounted(1, 0);
		expect(count.rows[0]?.difference).toBe(1);
	});

	it('lists what is not counted yet', () => {
		const count = new CountSheet(sheet([line(1, 10), line(2, 5)]));
		count.setCounted(2, 5);
		expect(count.uncounted.map((row) => row.line.itemId)).toEqual([1]);
		expect(count.countedCount).toBe(1);
	});

	it('asks to count again only the items whose expected quantity changed meanwhile', () => {
		const count = new CountSheet(sheet([line(1, 10), line(2, 5)]));
		count.setCounted(1, 10);
		count.setCounted(2, 5);
		const changed = count.reopen(sheet([line(1, 9), line(2, 5)]));
		expect(changed.map((changedLine) => changedLine.itemId)).toEqual([1]);
		expect(count.recountItems.map((row) => row.line.itemId)).toEqual([1]);
		expect(count.rows[0]?.counted).toBeNull();
		expect(count.rows[1]?.counted).toBe(5);
		count.setCounted(1, 9);
		expect(count.recountItems).toHaveLength(0);
	});

	it('forgets a reason when a recount turns a shortage into a surplus, keeps it otherwise', () => {
		const count = new CountSheet(sheet([line(1, 10)]));
		count.setCounted(1, 8);
		count.setReason(1, '过期下架');
		count.setCounted(1, 9);
		expect(count.rows[0]?.reason).toBe('过期下架');
		count.setCounted(1, 12);
		expect(count.rows[0]?.reason).toBe('');
		expect(count.rows[0]?.needsReason).toBe(true);
	});
});
