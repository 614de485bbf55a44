import type { StockMovementKind } from '$lib/server/db/schema';
import { LOSS_REASONS } from '$lib/kiosk/shop/shop-texts';

/** The catalogue's stock words on office pages. */

export const STOCK_MOVEMENT_NAMES: Record<StockMovementKind, string> = {
	received: '入库',
	redeemed: '兑换',
	voided: '撤销兑换',
	counted: '盘点',
	damaged: '报损'
};

/** A movement's reason as the shop entered it: a loss reason's name, or a count's own words. */
export function movementReasonText(reason: string | null): string {
	if (!reason) return '';
	return LOSS_REASONS.find((loss) => loss.id === reason)?.label ?? reason;
}

/** Stock at or below this shows as running low on the office's stock list. */
export const LOW_STOCK = 5;
