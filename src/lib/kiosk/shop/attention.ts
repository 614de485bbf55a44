/**
 * What shop mode shows first: events the server refused, and redemptions it applied but flagged
 * for the office (overdrawn, a revoked card, a moved-out resident). Both stay until someone deals
 * with them.
 */
import { attentionList } from '../redemption-history';
import type { AttentionRow, KioskDb, RedemptionRecord } from '../local-db';

export interface ShopAttention {
	rejected: AttentionRow[];
	/** Newest first. */
	flagged: RedemptionRecord[];
}

export async function shopAttention(db: KioskDb): Promise<ShopAttention> {
	const [rejected, flagged] = await Promise.all([
		attentionList(db),
		// Few rows carry the flag and a kiosk holds at most months of redemptions: a scan is fine.
		db.redemptions.filter((r) => r.flagged).toArray()
	]);
	return { rejected, flagged: flagged.sort((a, b) => b.deviceSeq - a.deviceSeq) };
}
