import type { Cart, CartLine } from '$lib/domain/cart';
import type { ItemSnapshot } from '$lib/protocol/sync';
import type { CounterProblem } from './counter-problems';

/**
 * What the counter needs from the device layer, as one narrow port: the session is written and
 * tested against this, and `device-counter.ts` adapts the real Dexie/sync code to it.
 */
export interface CounterResident {
	id: number;
	maskedName: string;
	household: string;
	building: string;
	cardSerial: number;
	/** Server balance at the last pull minus this kiosk's unacknowledged redemptions. */
	balance: number;
	/** While the kiosk is offline: points this resident may still spend here today. */
	offlineSpendLeft: number | null;
}

export type CardLookup =
	{ ok: true; resident: CounterResident } | { ok: false; problem: CounterProblem };

export type CounterCart = Cart<ItemSnapshot>;
export type CounterCartLine = CartLine<ItemSnapshot>;

export type RedeemOutcome =
	{ ok: true; newBalance: number; totalPoints: number } | { ok: false; problem: CounterProblem };

/** A failed enrollment carries the Chinese sentence to show on the setup screen. */
export type EnrollOutcome = { ok: true } | { ok: false; message: string };

export interface CounterDevice {
	lookupCard(text: string): Promise<CardLookup>;
	/** Active catalogue items, in display order. */
	listItems(): Promise<ItemSnapshot[]>;
	communityName(): Promise<string | null>;
	redeem(resident: CounterResident, cart: CounterCart): Promise<RedeemOutcome>;
	enroll(code: string): Promise<EnrollOutcome>;
}
