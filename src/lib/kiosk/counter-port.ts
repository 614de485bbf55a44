import type { Cart, CartLine } from '$lib/domain/cart';
import type { EarnRuleSummary, ItemSnapshot } from '$lib/protocol/sync';
import type { CounterProblem } from './counter-problems';
import type { HistoryLookup } from './own-history.svelte';

/**
 * What the counter needs from the kiosk's local data, as one narrow port: the session is written
 * and tested against this, and `local-counter-port.ts` adapts the real Dexie/sync code to it.
 */
export interface CounterResident {
	id: number;
	maskedName: string;
	household: string;
	building: string;
	cardSerial: number;
	/**
	 * The scanned card's text, held in memory while the resident is at the counter: each
	 * redemption and the resident's own history carry it as proof the card was there.
	 */
	credential: string;
	/** Server balance at the last pull minus this kiosk's unacknowledged redemptions. */
	balance: number;
	/** While the kiosk is offline: points this resident may still spend here today. */
	offlineSpendLeft: number | null;
	/** While the kiosk is offline: the community's daily allowance, to say it in plain words. */
	offlineDailyLimit: number | null;
}

/** `community_loading`: not found, but the first pull has not finished yet. */
export type CardLookup =
	{ ok: true; resident: CounterResident } | { ok: false; problem: CounterProblem };

export type CounterCart = Cart<ItemSnapshot>;
export type CounterCartLine = CartLine<ItemSnapshot>;

export type RedeemOutcome =
	{ ok: true; newBalance: number; totalPoints: number } | { ok: false; problem: CounterProblem };

/** A failed enrollment carries the Chinese sentence to show on the setup screen. */
export type EnrollOutcome = { ok: true } | { ok: false; message: string };

/** The first pull is still running: how far it has come (the total is not known yet). */
export interface CommunityLoading {
	residentsLoaded: number;
}

export interface CounterPort {
	lookupCard(text: string): Promise<CardLookup>;
	/** Active catalogue items, in display order. */
	listItems(): Promise<ItemSnapshot[]>;
	communityName(): Promise<string | null>;
	/** The first earn rules of the points list, for a resident short of points; may be empty. */
	earnRules(): Promise<EarnRuleSummary[]>;
	/** Null once the first pull has finished; until then a card may be unknown only for now. */
	communityLoading(): Promise<CommunityLoading | null>;
	redeem(resident: CounterResident, cart: CounterCart): Promise<RedeemOutcome>;
	/** 我的积分记录 from the server, for the card scanned (`CounterResident.credential`). */
	residentHistory(credential: string): Promise<HistoryLookup>;
	enroll(code: string): Promise<EnrollOutcome>;
}
