import * as v from 'valibot';
import { ResidentCredentialSchema } from './events';

/*
 * A resident's own points history, shown on the kiosk after a scan (我的积分记录). The request
 * carries the scanned card's text: the server answers only for the card's own resident, so a
 * kiosk token alone reads nobody's history. The kiosk keeps the answer in memory only.
 */

/** How many of the newest ledger entries the kiosk is shown. */
export const RESIDENT_HISTORY_ENTRIES = 30;

export const ResidentHistoryRequestSchema = v.object({ credential: ResidentCredentialSchema });
export type ResidentHistoryRequest = v.InferOutput<typeof ResidentHistoryRequestSchema>;

export const HISTORY_ENTRY_KINDS = [
	/** Points for a civic act (积分清单): `title` is the rule's name. */
	'earned',
	/** Points taken for a 负面清单 rule: `title` is the rule's name. */
	'penalty',
	/** A redemption at the shop: `details` are the items and quantities. */
	'spent',
	/** A correction or a voided redemption: `details` holds the reason. */
	'correction',
	/** The balance carried over when the community started with the system. */
	'opening'
] as const;
export type HistoryEntryKind = (typeof HISTORY_ENTRY_KINDS)[number];

export const HistoryEntrySchema = v.object({
	id: v.number(),
	kind: v.picklist(HISTORY_ENTRY_KINDS),
	/** Signed: + earned, − spent. */
	points: v.number(),
	/** The day it happened in the community's time zone, YYYY-MM-DD. */
	date: v.string(),
	/** In Chinese, ready to show: the rule's name, 兑换, 更正… */
	title: v.string(),
	/** In Chinese: "大米 5kg ×2" per item, or the reason of a correction. */
	details: v.array(v.string())
});
export type HistoryEntry = v.InferOutput<typeof HistoryEntrySchema>;

export const ResidentHistoryResponseSchema = v.object({
	/** Newest first, at most RESIDENT_HISTORY_ENTRIES. */
	entries: v.array(HistoryEntrySchema),
	/** The server's balance of the resident now (a kiosk's may lag behind its pending sales). */
	balance: v.number()
});
export type ResidentHistoryResponse = v.InferOutput<typeof ResidentHistoryResponseSchema>;
