import { MAX_STOCK_QUANTITY } from '$lib/protocol/limits';

/**
 * A quantity for a delivery, a loss or a count as the keypad gives it: whole units, 1..100000
 * (0 allowed for a count: an empty shelf). Anything else, including 10⁹, −1, 1.5 and an empty
 * entry, is null, and the screen says so instead of recording it.
 */
export function parseStockQuantity(
	entry: string | number | null | undefined,
	{ allowZero = false }: { allowZero?: boolean } = {}
): number | null {
	if (entry === null || entry === undefined) return null;
	const text = String(entry).trim();
	if (!/^\d{1,6}$/.test(text)) return null;
	const quantity = Number(text);
	if (quantity > MAX_STOCK_QUANTITY) return null;
	if (quantity === 0 && !allowZero) return null;
	return quantity;
}

export function isStockQuantity(value: unknown, allowZero = false): value is number {
	return (
		typeof value === 'number' &&
		Number.isInteger(value) &&
		value >= (allowZero ? 0 : 1) &&
		value <= MAX_STOCK_QUANTITY
	);
}
