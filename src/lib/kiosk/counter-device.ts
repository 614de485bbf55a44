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
}

export type CardLookup =
	{ ok: true; resident: CounterResident } | { ok: false; problem: CounterProblem };

export interface CartLine {
	item: ItemSnapshot;
	quantity: number;
}

export type RedeemOutcome =
	{ ok: true; newBalance: number; totalPoints: number } | { ok: false; problem: CounterProblem };

export type EnrollOutcome = { ok: true } | { ok: false; reason: 'invalid_code' | 'network' };

export interface CounterDevice {
	lookupCard(text: string): Promise<CardLookup>;
	/** Active catalogue items, in display order. */
	listItems(): Promise<ItemSnapshot[]>;
	communityName(): Promise<string | null>;
	redeem(resident: CounterResident, lines: readonly CartLine[]): Promise<RedeemOutcome>;
	enroll(code: string): Promise<EnrollOutcome>;
}
