/**
 * Offline limits, as card terminals have them: while the kiosk cannot reach the server, a
 * resident may spend only so many points per business day, and once the last successful pull is
 * too old the kiosk refuses redemptions until it syncs (so a revoked card cannot live forever).
 */

export type RedemptionRefusal =
	'offline_daily_limit' | 'pull_too_old' | 'insufficient_points' | 'out_of_stock';

export type RedemptionDecision = { allowed: true } | { allowed: false; reason: RedemptionRefusal };

export interface RedemptionRules {
	totalPoints: number;
	/** The resident's balance as the kiosk sees it (last pull minus pending redemptions). */
	availablePoints: number;
	/** Each line against what the kiosk may still hand out of that item. */
	lines: readonly { quantity: number; stockTracked: boolean; stockAvailable: number }[];
	/** True when the kiosk cannot reach the server right now. */
	offline: boolean;
	offlineDailyLimit: number;
	/** Points this resident already spent offline on this kiosk today (business day). */
	spentOfflineToday: number;
	lastPullAt: string | number | Date | null;
	offlineMaxAgeHours: number;
	now: number | Date;
}

export function offlineSpendLeft(limit: number, spentToday: number): number {
	return Math.max(0, limit - spentToday);
}

/** True when the kiosk never pulled, or its last pull is older than the limit. */
export function isPullTooOld(
	lastPullAt: string | number | Date | null,
	maxAgeHours: number,
	now: number | Date
): boolean {
	if (lastPullAt === null) return true;
	const pulledAt = new Date(lastPullAt).getTime();
	if (Number.isNaN(pulledAt)) return true;
	const age = new Date(now).getTime() - pulledAt;
	return age > maxAgeHours * 3_600_000;
}

/** The order matters for the message: a stale kiosk says so before anything about the cart. */
export function decideRedemption(rules: RedemptionRules): RedemptionDecision {
	if (isPullTooOld(rules.lastPullAt, rules.offlineMaxAgeHours, rules.now)) {
		return { allowed: false, reason: 'pull_too_old' };
	}
	for (const line of rules.lines) {
		if (line.stockTracked && line.stockAvailable < line.quantity) {
			return { allowed: false, reason: 'out_of_stock' };
		}
	}
	if (rules.totalPoints > rules.availablePoints) {
		return { allowed: false, reason: 'insufficient_points' };
	}
	if (
		rules.offline &&
		rules.totalPoints > offlineSpendLeft(rules.offlineDailyLimit, rules.spentOfflineToday)
	) {
		return { allowed: false, reason: 'offline_daily_limit' };
	}
	return { allowed: true };
}
