import { describe, expect, it } from 'vitest';
import { MAX_LINE_QUANTITY } from '$lib/protocol/limits';
import {
	addToCart,
	cartItemCount,
	cartTotal,
	checkCart,
	itemAvailability,
	removeFromCart,
	setQuantity,
	type Cart,
	type CartItem
} from './cart';

const rice: CartItem = {
	id: 1,
	name: '大米',
	points: 30,
	stockTracked: true,
	stock: 2,
	active: true
};
const soap: CartItem = {
	id: 2,
	name: '肥皂',
	points: 5,
	stockTracked: true,
	stock: 10,
	active: true
};
const massage: CartItem = {
	id: 3,
	name: '理疗',
	points: 20,
	stockTracked: false,
	stock: 0,
	active: true
};

describe('cart', () => {
	it('adds, changes and removes lines and adds up the total', () => {
		let cart: Cart = [];
		cart = addToCart(cart, rice);
		cart = addToCart(cart, soap, 3);
		cart = addToCart(cart, rice);
		expect(cart.map((l) => [l.item.id, l.quantity])).toEqual([
			[1, 2],
			[2, 3]
		]);
		expect(cartTotal(cart)).toBe(75);
		expect(cartItemCount(cart)).toBe(5);
		cart = setQuantity(cart, soap, 1);
		expect(cartTotal(cart)).toBe(65);
		cart = setQuantity(cart, soap, 0);
		expect(cart).toHaveLength(1);
		cart = removeFromCart(cart, rice.id);
		expect(cart).toEqual([]);
	});

	it('caps a line at the protocol maximum quantity', () => {
		const cart = setQuantity([], soap, 1000);
		expect(cart[0]?.quantity).toBe(MAX_LINE_QUANTITY);
	});

	it('says why one more of an item cannot go into the cart', () => {
		expect(itemAvailability(rice, [], 100)).toBe('available');
		expect(itemAvailability(rice, [{ item: rice, quantity: 2 }], 1000)).toBe('out_of_stock');
		expect(itemAvailability({ ...rice, active: false }, [], 100)).toBe('inactive');
		expect(itemAvailability(rice, [{ item: soap, quantity: 1 }], 30)).toBe('cannot_afford');
		// Services have no stock to run out of.
		expect(itemAvailability(massage, [{ item: massage, quantity: 5 }], 1000)).toBe('available');
	});

	it('checks the whole cart with a machine reason', () => {
		expect(checkCart([], 100)).toEqual({ ok: false, reason: 'empty', itemId: null });
		expect(checkCart([{ item: rice, quantity: 2 }], 100)).toEqual({ ok: true, totalPoints: 60 });
		expect(checkCart([{ item: rice, quantity: 3 }], 1000)).toEqual({
			ok: false,
			reason: 'out_of_stock',
			itemId: 1
		});
		expect(checkCart([{ item: rice, quantity: 2 }], 59)).toEqual({
			ok: false,
			reason: 'insufficient_points',
			itemId: null
		});
		expect(checkCart([{ item: { ...soap, active: false }, quantity: 1 }], 100)).toMatchObject({
			reason: 'inactive'
		});
		expect(checkCart([{ item: soap, quantity: 0 }], 100)).toMatchObject({ reason: 'bad_quantity' });
	});
});
