import { getContext, setContext } from 'svelte';
import type { ShopSession } from './shop-session.svelte';

const SHOP_KEY = Symbol('shop');

export function provideShop(shop: ShopSession): void {
	setContext(SHOP_KEY, shop);
}

export function useShop(): ShopSession {
	const shop = getContext<ShopSession | undefined>(SHOP_KEY);
	if (!shop) throw new Error('useShop() outside the kiosk layout');
	return shop;
}
