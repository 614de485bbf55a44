/**
 * What the shop-mode keypads accept. The keypad only has digits, and a field takes at most
 * `maxDigits` of them, so a negative, fractional or absurd number cannot be typed at all; what
 * can be typed is still checked here, and the answer is a sentence the shopkeeper understands.
 */
export interface QuantityRule {
	/** Smallest accepted value: 1 for a delivery or a loss, 0 for a count. */
	min: number;
	max: number;
	/** What to say above `max`, when it is not the keypad's own limit. */
	tooMany?: string;
}

/** A delivery line or a loss: at least one, at most what one event may carry. */
export const MOVEMENT_QUANTITY: QuantityRule = { min: 1, max: 100_000 };
/** A counted quantity may be zero (the shelf is empty). */
export const COUNTED_QUANTITY: QuantityRule = { min: 0, max: 100_000 };

export type QuantityCheck = { ok: true; value: number } | { ok: false; message: string };

/** Digits a field holds: enough for the largest quantity any entry may have, and no more. */
export function maxDigits(rule: QuantityRule): number {
	return String(Math.max(rule.max, MOVEMENT_QUANTITY.max)).length;
}

/** Appends a keypad digit, refusing anything that is not a digit or would be too long. */
export function typeDigit(text: string, digit: string, rule: QuantityRule): string {
	if (!/^\d$/.test(digit)) return text;
	// A leading zero adds nothing: "0" then "5" is 5.
	const next = text === '0' ? digit : text + digit;
	return next.length > maxDigits(rule) ? text : next;
}

export function checkQuantity(text: string, rule: QuantityRule): QuantityCheck {
	const trimmed = text.trim();
	if (trimmed === '') return { ok: false, message: '请输入数量' };
	if (!/^\d+$/.test(trimmed)) {
		return { ok: false, message: '数量只能是整数，不能有小数点或负号' };
	}
	const value = Number(trimmed);
	if (value < rule.min) {
		return { ok: false, message: rule.min === 1 ? '数量至少是 1' : `数量至少是 ${rule.min}` };
	}
	if (value > rule.max)
		return { ok: false, message: rule.tooMany ?? `数量太大了，最多 ${rule.max}` };
	return { ok: true, value };
}
