import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { reasonStillFits } from '$lib/domain/count-difference-reasons';
import { COUNTED_QUANTITY } from './quantity-input';
import type { ClosingLine, ClosingSheet, CountEntry } from './shop-port';

export interface CountRow {
	line: ClosingLine;
	/** What the shopkeeper counted; null until entered. */
	counted: number | null;
	/** counted − expected; null until counted. */
	difference: number | null;
	reason: string;
	/** A difference without a reason yet. */
	needsReason: boolean;
	/** A difference larger than the community's limit: a manager must confirm. */
	overLimit: boolean;
	/** Its expected quantity changed after the screen opened: count it again. */
	recount: boolean;
}

/**
 * The closing screen's count, in memory until the close: what was counted per item, the reasons
 * for differences, and which items must be counted again because a redemption (or any movement)
 * was committed after the screen opened.
 */
export class CountSheet {
	#sheet: ClosingSheet;
	readonly #counted = new SvelteMap<number, number>();
	readonly #reasons = new SvelteMap<number, string>();
	readonly #recount = new SvelteSet<number>();

	#rows = $derived.by(() =>
		this.#sheet.lines.map((line): CountRow => {
			const counted = this.#counted.get(line.itemId) ?? null;
			const difference = counted === null ? null : counted - line.expected;
			const reason = this.#reasons.get(line.itemId) ?? '';
			return {
				line,
				counted,
				difference,
				reason,
				needsReason: difference !== null && difference !== 0 && reason.trim() === '',
				overLimit: difference !== null && Math.abs(difference) > this.#sheet.countDifferenceLimit,
				recount: this.#recount.has(line.itemId)
			};
		})
	);

	constructor(sheet: ClosingSheet) {
		this.#sheet = $state.raw(sheet);
	}

	get businessDate(): string {
		return this.#sheet.businessDate;
	}
	get alreadyClosed(): boolean {
		return this.#sheet.alreadyClosed;
	}
	get unclosedEarlierDays(): readonly string[] {
		return this.#sheet.unclosedEarlierDays;
	}
	get limit(): number {
		return this.#sheet.countDifferenceLimit;
	}
	get rows(): readonly CountRow[] {
		return this.#rows;
	}
	get countedCount(): number {
		return this.#rows.filter((row) => row.counted !== null).length;
	}
	get uncounted(): readonly CountRow[] {
		return this.#rows.filter((row) => row.counted === null);
	}
	get differences(): readonly CountRow[] {
		return this.#rows.filter((row) => row.difference !== null && row.difference !== 0);
	}
	get missingReasons(): readonly CountRow[] {
		return this.#rows.filter((row) => row.needsReason);
	}
	get needsApproval(): boolean {
		return this.#rows.some((row) => row.overLimit);
	}
	get recountItems(): readonly CountRow[] {
		return this.#rows.filter((row) => row.recount);
	}

	setCounted(itemId: number, counted: number): void {
		const expected = this.#sheet.lines.find((line) => line.itemId === itemId)?.expected;
		const before = this.#counted.get(itemId);
		// A reason for a shortage does not explain a surplus: a recount that turns it asks again.
		if (
			expected !== undefined &&
			before !== undefined &&
			!reasonStillFits(before - expected, counted - expected)
		) {
			this.#reasons.delete(itemId);
		}
		this.#counted.set(itemId, counted);
		this.#recount.delete(itemId);
	}

	/**
	 * 数量一致: the shelf holds what the books say. Not possible when the books say less than
	 * nothing (more went out than was recorded in): that needs a real count.
	 */
	confirmExpected(itemId: number): void {
		const line = this.#sheet.lines.find((candidate) => candidate.itemId === itemId);
		if (line && canMatch(line)) this.setCounted(itemId, line.expected);
	}

	setReason(itemId: number, reason: string): void {
		this.#reasons.set(itemId, reason.slice(0, 200));
	}

	/**
	 * The books moved while the shopkeeper counted: takes the new expected quantities, forgets
	 * the counts of the items that changed and marks them to be counted again. Returns them.
	 */
	reopen(sheet: ClosingSheet): ClosingLine[] {
		const before = this.#sheet.lines;
		const changed = sheet.lines.filter(
			(line) => before.find((old) => old.itemId === line.itemId)?.expected !== line.expected
		);
		this.#sheet = sheet;
		this.#recount.clear();
		for (const line of changed) {
			this.#counted.delete(line.itemId);
			this.#recount.add(line.itemId);
		}
		return changed;
	}

	/** The counts to close with, reasons only where there is a difference. */
	entries(): CountEntry[] {
		return this.#rows.flatMap((row) => {
			if (row.counted === null) return [];
			const entry: CountEntry = {
				itemId: row.line.itemId,
				expected: row.line.expected,
				counted: row.counted
			};
			if (row.difference !== 0 && row.reason.trim() !== '') entry.reason = row.reason.trim();
			return [entry];
		});
	}
}

/** Whether 数量一致 can stand for a count of this line: a shelf holds 0..100000 items. */
export function canMatch(line: ClosingLine): boolean {
	return line.expected >= COUNTED_QUANTITY.min && line.expected <= COUNTED_QUANTITY.max;
}
