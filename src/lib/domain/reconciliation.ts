/*
 * Reconciliation (盘点): per stock-tracked item, what the shelf should hold at the closing and
 * how the day got there. The kiosk knows its expected stock now (server stock at the last pull
 * plus its own unreflected movements); the opening figure is derived from it:
 *
 *   expected = opening + received − redeemed + voided − lost
 *
 * so "opening" is the stock before this kiosk's day, including whatever the office or another
 * kiosk did. Services and courses carry no stock and never appear.
 */

export interface ReconciliationItem {
	itemId: number;
	name: string;
	stockTracked: boolean;
	/** What the shelf should hold now, by the kiosk's figures. */
	expected: number;
}

export type DayMovementKind = 'received' | 'redeemed' | 'voided' | 'lost';

/** One item's movement during the day, in whole units (always positive; the kind gives the sign). */
export interface DayMovement {
	itemId: number;
	kind: DayMovementKind;
	quantity: number;
}

export interface ReconciliationLine {
	itemId: number;
	name: string;
	opening: number;
	received: number;
	redeemed: number;
	voided: number;
	lost: number;
	expected: number;
}

export interface CountEntry {
	itemId: number;
	counted: number;
	reason?: string;
}

export interface CountedLine extends ReconciliationLine {
	counted: number;
	/** counted − expected: negative when goods are missing. */
	difference: number;
	reason?: string;
}

/** The day's lines for every stock-tracked item, in the order given. */
export function reconcile(
	items: readonly ReconciliationItem[],
	movements: readonly DayMovement[]
): ReconciliationLine[] {
	const totals = new Map<number, Record<DayMovementKind, number>>();
	for (const movement of movements) {
		let total = totals.get(movement.itemId);
		if (!total) {
			total = { received: 0, redeemed: 0, voided: 0, lost: 0 };
			totals.set(movement.itemId, total);
		}
		total[movement.kind] += movement.quantity;
	}
	return items
		.filter((item) => item.stockTracked)
		.map((item) => {
			const t = totals.get(item.itemId) ?? { received: 0, redeemed: 0, voided: 0, lost: 0 };
			return {
				itemId: item.itemId,
				name: item.name,
				opening: item.expected - t.received + t.redeemed - t.voided + t.lost,
				received: t.received,
				redeemed: t.redeemed,
				voided: t.voided,
				lost: t.lost,
				expected: item.expected
			};
		});
}

/**
 * The lines with what was counted. An item without a count entry is taken as matching (the
 * shopkeeper confirmed it); a reason is kept only where the count differs.
 */
export function applyCounts(
	lines: readonly ReconciliationLine[],
	counts: readonly CountEntry[]
): CountedLine[] {
	const byItem = new Map(counts.map((count) => [count.itemId, count]));
	return lines.map((line) => {
		const count = byItem.get(line.itemId);
		const counted = count ? count.counted : line.expected;
		const difference = counted - line.expected;
		const reason = difference !== 0 ? count?.reason?.trim() || undefined : undefined;
		return { ...line, counted, difference, ...(reason ? { reason } : {}) };
	});
}

export interface CountCheck {
	/** Items whose count differs and that have no reason yet. */
	needsReason: number[];
	/** Some difference is larger than the community's limit: a second staff PIN is needed. */
	needsApprover: boolean;
}

export function checkCounts(lines: readonly CountedLine[], differenceLimit: number): CountCheck {
	return {
		needsReason: lines.filter((l) => l.difference !== 0 && !l.reason).map((l) => l.itemId),
		needsApprover: lines.some((l) => Math.abs(l.difference) > differenceLimit)
	};
}
