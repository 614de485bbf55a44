/**
 * Reasons offered for a count difference at the closing. They depend on which way the shelf
 * differs from the books: fewer on the shelf means something left unrecorded (lost, spoiled,
 * handed out), more means something arrived unrecorded. "-1 漏记入库" would make no sense.
 * The shopkeeper can still type any other reason.
 */

/** The shelf holds fewer than the books say (difference < 0). */
export const SHORT_REASONS: readonly string[] = [
	'破损未报',
	'过期下架',
	'丢失',
	'漏记出库',
	'兑换时多拿',
	'上次盘点有误'
];

/** The shelf holds more than the books say (difference > 0). */
export const OVER_REASONS: readonly string[] = [
	'漏记入库',
	'兑换时少拿',
	'撤销兑换后放回',
	'上次盘点有误'
];

/** counted − expected: the reasons that fit it, none when there is no difference. */
export function countDifferenceReasons(difference: number): readonly string[] {
	if (difference < 0) return SHORT_REASONS;
	if (difference > 0) return OVER_REASONS;
	return [];
}

/** "少了 2 件" / "多了 3 件": a difference in words, never "-2". */
export function differenceText(difference: number): string {
	return difference < 0 ? `少了 ${-difference} 件` : `多了 ${difference} 件`;
}

/**
 * Whether a reason given for one difference still holds after a recount: only while the shelf
 * differs the same way (short stays short, over stays over).
 */
export function reasonStillFits(before: number | null, after: number | null): boolean {
	if (before === null || after === null) return false;
	return Math.sign(before) === Math.sign(after) && after !== 0;
}
