import type { CloseDayProblem } from '$lib/kiosk/shop/closing';
import type { StaffCardProblem } from '$lib/kiosk/shop/staff';
import type { StockProblem } from '$lib/kiosk/shop/stock';
import type { VoidProblem } from '$lib/kiosk/shop/voids';
import type { ReconciliationLine } from '$lib/domain/reconciliation';
import type { ItemSnapshot } from '$lib/protocol/sync';
import type { ReviewFlagKind } from '$lib/protocol/review-flags';
import type { DayReport } from './shop-report';

/**
 * What shop mode needs from the kiosk's local data, as one narrow port (like `CounterPort`): the
 * shop session is written and tested against this, and `local-shop-port.ts` adapts the real
 * Dexie code of `$lib/kiosk/shop` to it.
 */
export type StaffRole = 'shopkeeper' | 'manager';

export interface ShopStaff {
	id: number;
	name: string;
	role: StaffRole;
}

/** Why a scanned card does not open shop mode. */
export type { StaffCardProblem };

export type StaffLookup = { ok: true; staff: ShopStaff } | { ok: false; problem: StaffCardProblem };

export type PinCheck =
	| { ok: true }
	| { ok: false; reason: 'wrong'; triesLeft: number }
	| { ok: false; reason: 'locked'; until: Date }
	| { ok: false; reason: 'unknown_staff' };

/** An event the server refused, as shop mode lists it. */
export interface RejectedEvent {
	eventId: string;
	/** What it was, in Chinese: 兑换, 入库… */
	what: string;
	/** The server's reason, in Chinese. */
	reason: string;
	/** Device time, ISO. */
	at: string;
}

/** A redemption the server applied but flagged for the office (overdrawn, revoked card…). */
export interface FlaggedRedemption {
	eventId: string;
	occurredAt: string;
	totalPoints: number;
	/** What was wrong, in the shopkeeper's words (shop-texts.ts flaggedRedemptionTitle). */
	title: string;
	/** The server's flag kinds, for the tests; empty when the server did not say. */
	flags: readonly ReviewFlagKind[];
	summary: string;
}

export interface ShopAttention {
	rejected: RejectedEvent[];
	flagged: FlaggedRedemption[];
}

export interface StockLine {
	item: ItemSnapshot;
	onHand: number;
}

export interface VoidableRedemption {
	eventId: string;
	occurredAt: string;
	residentLabel: string;
	lines: { name: string; quantity: number }[];
	totalPoints: number;
	voided: boolean;
}

export type LossReason = 'damaged' | 'expired' | 'lost' | 'other';

/** Problems a shop write can answer with; the screens turn each into a sentence. */
export type ShopWriteProblem = StockProblem | VoidProblem | CloseDayProblem;

export type ShopWriteOutcome = { ok: true } | { ok: false; problem: ShopWriteProblem };

/** One stock-tracked item on the closing screen: how the day got to the expected quantity. */
export type ClosingLine = ReconciliationLine;

export interface ClosingSheet {
	businessDate: string;
	alreadyClosed: boolean;
	lines: ClosingLine[];
	/** A count difference larger than this (in units of one item) needs a second staff PIN. */
	countDifferenceLimit: number;
	/** Earlier business days with activity on this kiosk that were never closed. */
	unclosedEarlierDays: string[];
}

export interface CountEntry {
	itemId: number;
	expected: number;
	counted: number;
	reason?: string;
}

export type CloseOutcome =
	{ ok: true; report: DayReport } | { ok: false; problem: ShopWriteProblem };

export interface DayReportSummary {
	businessDate: string;
	closedAt: string;
	staffName: string;
}

export interface ShopPort {
	identifyStaff(qrText: string): Promise<StaffLookup>;
	checkPin(staffId: number, pin: string): Promise<PinCheck>;
	/** When this staff card's PIN lock-out ends, if it is locked now. */
	pinLockedUntil(staffId: number): Promise<Date | null>;
	attention(): Promise<ShopAttention>;
	/** Every active stock-tracked item with its stock on hand, in display order. */
	stock(): Promise<StockLine[]>;
	receiveStock(input: {
		staffId: number;
		lines: { itemId: number; quantity: number }[];
		note?: string;
	}): Promise<ShopWriteOutcome>;
	recordLoss(input: {
		staffId: number;
		itemId: number;
		quantity: number;
		reason: LossReason;
		note?: string;
	}): Promise<ShopWriteOutcome>;
	voidableRedemptions(): Promise<VoidableRedemption[]>;
	voidRedemption(input: {
		staffId: number;
		redemptionId: string;
		reason: string;
	}): Promise<ShopWriteOutcome>;
	openClosing(): Promise<ClosingSheet>;
	closeDay(input: {
		staffId: number;
		approverStaffId?: number;
		counts: CountEntry[];
	}): Promise<CloseOutcome>;
	listDayReports(): Promise<DayReportSummary[]>;
	getDayReport(businessDate: string): Promise<DayReport | null>;
}
