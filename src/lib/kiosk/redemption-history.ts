/** What this kiosk did, for the counter's "waiting to upload" view and shop mode's attention list. */
import type { AttentionRow, KioskDb, RedemptionRecord } from './local-db';

/** The latest redemptions of this kiosk, newest first, whatever their sync status. */
export function recentRedemptions(db: KioskDb, limit = 20): Promise<RedemptionRecord[]> {
	return db.redemptions.orderBy('deviceSeq').reverse().limit(limit).toArray();
}

/** Redemptions still waiting for the server's answer, oldest first. */
export function pendingRedemptions(db: KioskDb): Promise<RedemptionRecord[]> {
	return db.redemptions.where('status').equals('pending').sortBy('deviceSeq');
}

/** Events the server refused, oldest first; they stay until shop mode resolves them. */
export function attentionList(db: KioskDb): Promise<AttentionRow[]> {
	return db.attention.orderBy('at').toArray();
}
