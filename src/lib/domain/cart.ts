/**
 * The cart at the counter: lines of catalogue items with quantities. Pure and immutable, so the
 * kiosk can check the same cart on screen and again inside the redemption transaction.
 */
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '$lib/protocol/limits';

/** What the cart needs to know of a catalogue item (an `ItemSnapshot` fits). */
export interface CartItem {
	id: number;
	name: string;
	points: number;
	stockTracked: boolean;
	/** For stock-tracked goods: what this kiosk may still hand out (server stock minus pending). */
	stock: number;
	active: boolean;
}

export interface CartLine<Item extends CartItem = CartItem> {
	item: Item;
	quantity: number;
}

export type Cart<Item extends CartItem = CartItem> = readonly CartLine<Item>[];

export type ItemAvailability = 'available' | 'inactive' | 'out_of_stock' | 'cannot_afford';

export type CartProblem =
	'empty' | 'too_many_lines' | 'bad_quantity' | 'inactive' | 'out_of_stock' | 'insufficient_points';

export type CartCheck =
	{ ok: true; totalPoints: number } | { ok: false; reason: CartProblem; itemId: number | null };

export function quantityInCart(cart: Cart, itemId: number): number {
	return cart.find((line) => line.item.id === itemId)?.quantity ?? 0;
}

/** Sets a line's quantity; 0 or less removes it, more than MAX_LINE_QUANTITY is capped. */
export function setQuantity<Item extends CartItem>(
	cart: Cart<Item>,
	item: Item,
	quantity: number
): Cart<Item> {
	const capped = Math.min(MAX_LINE_QUANTITY, Math.floor(quantity));
	const index = cart.findIndex((line) => line.item.id === item.id);
	if (capped <= 0) return index < 0 ? cart : cart.filter((_, i) => i !== index);
	if (index < 0) {
		if (cart.length >= MAX_CART_LINES) return cart;
		return [...cart, { item, quantity: capped }];
	}
	return cart.map((line, i) => (i === index ? { item, quantity: capped } : line));
}

export function addToCart<Item extends CartItem>(
	cart: Cart<Item>,
	item: Item,
	quantity = 1
): Cart<Item> {
	return setQuantity(cart, item, quantityInCart(cart, item.id) + quantity);
}

export function removeFromCart<Item extends CartItem>(
	cart: Cart<Item>,
	itemId: number
): Cart<Item> {
	return cart.filter((line) => line.item.id !== itemId);
}

export function cartTotal(cart: Cart): number {
	let total = 0;
	for (const line of cart) total += line.item.points * line.quantity;
	return total;
}

export function cartItemCount(cart: Cart): number {
	let count = 0;
	for (const line of cart) count += line.quantity;
	return count;
}

/** Whether one more of `item` can go into the cart, and if not, why (for greying it out). */
export function itemAvailability(item: CartItem, cart: Cart, balance: number): ItemAvailability {
	if (!item.active) return 'inactive';
	const inCart = quantityInCart(cart, item.id);
	if (inCart >= MAX_LINE_QUANTITY) return 'out_of_stock';
	if (item.stockTracked && item.stock < inCart + 1) return 'out_of_stock';
	if (cartTotal(cart) + item.points > balance) return 'cannot_afford';
	return 'available';
}

/** The whole cart against the balance and stock, as the confirm button and the commit see it. */
export function checkCart(cart: Cart, balance: number): CartCheck {
	if (cart.length === 0) return { ok: false, reason: 'empty', itemId: null };
	if (cart.length > MAX_CART_LINES) return { ok: false, reason: 'too_many_lines', itemId: null };
	for (const line of cart) {
		const { item, quantity } = line;
		if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
			return { ok: false, reason: 'bad_quantity', itemId: item.id };
		}
		if (!item.active) return { ok: false, reason: 'inactive', itemId: item.id };
		if (item.stockTracked && item.stock < quantity) {
			return { ok: false, reason: 'out_of_stock', itemId: item.id };
		}
	}
	const totalPoints = cartTotal(cart);
	if (totalPoints > balance) return { ok: false, reason: 'insufficient_points', itemId: null };
	return { ok: true, totalPoints };
}
