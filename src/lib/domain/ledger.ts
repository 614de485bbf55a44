/**
 * Points ledger math. A balance is never stored: it is the sum of a resident's entries, and a
 * correction is a new entry, so these helpers only ever add things up.
 */

export interface PointsEntry {
	/** Signed: earning is positive, penalties and redemptions are negative. */
	points: number;
}

export interface PricedLine {
	quantity: number;
	unitPoints: number;
}

export function balanceOf(entries: Iterable<PointsEntry>): number {
	let balance = 0;
	for (const entry of entries) balance += entry.points;
	return balance;
}

/** What a cart costs: the prices the resident saw, times the quantities. */
export function redemptionTotal(lines: Iterable<PricedLine>): number {
	let total = 0;
	for (const line of lines) total += line.quantity * line.unitPoints;
	return total;
}

/** True when spending `points` from `balance` leaves it below zero. */
export function wouldOverdraw(balance: number, points: number): boolean {
	return balance - points < 0;
}

/** A balance that went below zero (an offline redemption the office has to look at). */
export function isOverdrawn(balance: number): boolean {
	return balance < 0;
}
