import { describe, expect, it } from 'vitest';
import { applyCounts, checkCounts, reconcile, type ReconciliationItem } from './reconciliation';

const rice: ReconciliationItem = { itemId: 1, name: '大米', stockTracked: true, expected: 10 };
const oil: ReconciliationItem = { itemId: 2, name: '食用油', stockTracked: true, expected: 4 };
const massage: ReconciliationItem = {
	itemId: 3,
	name: '理疗',
	stockTracked: false,
	expected: 0
};

describe('reconcile', () => {
	it('derives the opening so that opening + received − redeemed + voided − lost = expected', () => {
		const [line] = reconcile(
			[rice],
			[
				{ itemId: 1, kind: 'received', quantity: 6 },
				{ itemId: 1, kind: 'redeemed', quantity: 3 },
				{ itemId: 1, kind: 'redeemed', quantity: 2 },
				{ itemId: 1, kind: 'voided', quantity: 2 },
				{ itemId: 1, kind: 'lost', quantity: 1 }
			]
		);
		expect(line).toEqual({
			itemId: 1,
			name: '大米',
			opening: 8,
			received: 6,
			redeemed: 5,
			voided: 2,
			lost: 1,
			expected: 10
		});
		const l = line!;
		expect(l.opening + l.received - l.redeemed + l.voided - l.lost).toBe(l.expected);
	});

	it('handles an item received and fully redeemed the same day (opening and expected 0)', () => {
		const [line] = reconcile(
			[{ ...oil, expected: 0 }],
			[
				{ itemId: 2, kind: 'received', quantity: 12 },
				{ itemId: 2, kind: 'redeemed', quantity: 12 }
			]
		);
		expect(line).toMatchObject({ opening: 0, received: 12, redeemed: 12, expected: 0 });
	});

	it('leaves services out and keeps untouched goods with their expected figure', () => {
		const lines = reconcile([rice, massage, oil], [{ itemId: 3, kind: 'redeemed', quantity: 2 }]);
		expect(lines.map((l) => [l.itemId, l.opening, l.expected])).toEqual([
			[1, 10, 10],
			[2, 4, 4]
		]);
	});

	it('counts a void of a redemption whose item was then counted: the goods are back on the shelf', () => {
		// 2 redeemed, the redemption voided: the shelf holds what it held in the morning.
		const lines = reconcile(
			[{ ...rice, expected: 10 }],
			[
				{ itemId: 1, kind: 'redeemed', quantity: 2 },
				{ itemId: 1, kind: 'voided', quantity: 2 }
			]
		);
		const [counted] = applyCounts(lines, [{ itemId: 1, counted: 10 }]);
		expect(counted).toMatchObject({
			opening: 10,
			redeemed: 2,
			voided: 2,
			counted: 10,
			difference: 0
		});
	});

	it('shows a loss recorded during the day and a negative expected after a mistake', () => {
		const [line] = reconcile(
			[{ ...oil, expected: -1 }],
			[
				{ itemId: 2, kind: 'lost', quantity: 2 },
				{ itemId: 2, kind: 'redeemed', quantity: 1 }
			]
		);
		expect(line).toMatchObject({ opening: 2, lost: 2, redeemed: 1, expected: -1 });
	});
});

describe('counting', () => {
	const lines = reconcile([rice, oil], []);

	it('takes a missing count as confirmed and computes counted − expected', () => {
		const counted = applyCounts(lines, [{ itemId: 1, counted: 7, reason: ' 三袋破损 ' }]);
		expect(counted.map((l) => [l.counted, l.difference, l.reason])).toEqual([
			[7, -3, '三袋破损'],
			[4, 0, undefined]
		]);
	});

	it('drops a reason where the count matches', () => {
		const [line] = applyCounts(lines, [{ itemId: 1, counted: 10, reason: '无' }]);
		expect(line?.reason).toBeUndefined();
	});

	it('asks for a reason for each difference and an approver beyond the limit', () => {
		expect(checkCounts(applyCounts(lines, [{ itemId: 1, counted: 12 }]), 5)).toEqual({
			needsReason: [1],
			needsApprover: false
		});
		expect(
			checkCounts(applyCounts(lines, [{ itemId: 2, counted: 10, reason: '多了' }]), 5)
		).toEqual({ needsReason: [], needsApprover: true });
		// Exactly the limit is allowed without a second PIN.
		expect(
			checkCounts(applyCounts(lines, [{ itemId: 1, counted: 5, reason: '少了' }]), 5).needsApprover
		).toBe(false);
	});
});
