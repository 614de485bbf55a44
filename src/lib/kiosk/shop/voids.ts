/**
 * Voiding (撤销) a redemption of the current business day: the void record, the stock going back
 * on the shelf (a 'voided' movement), the redemption marked as voided and the outbox event, in
 * ONE transaction. The original redemption stays; the server writes reversal entries.
 */
import type { VoidEvent } from '$lib/protocol/events';
import { MAX_NOTE_LENGTH } from '$lib/protocol/limits';
import type { KioskDb, RedemptionRecord, VoidRecord } from '../local-db';
import {
	activeStaff,
	appendShopEvent,
	pendingMovement,
	readShopContext,
	ShopRefusal
} from './shop-events';

export type VoidProblem =
	| 'not_enrolled'
	| 'unknown_staff'
	/** Not a redemption of this kiosk. */
	| 'unknown_redemption'
	/** The server refused the redemption: nothing to give back. */
	| 'rejected_redemption'
	| 'already_voided'
	/** Of another business day (also: today was closed since). */
	| 'not_same_day'
	| 'needs_reason';

export type VoidOutcome =
	{ ok: true; event: VoidEvent; void: VoidRecord } | { ok: false; problem: VoidProblem };

export interface VoidInput {
	staffId: number;
	/** The redemption's event id. */
	redemptionId: string;
	reason: string;
}

export async function voidRedemption(
	db: KioskDb,
	input: VoidInput,
	now: Date = new Date()
): Promise<VoidOutcome> {
	const reason = input.reason.trim();
	if (!reason || reason.length > MAX_NOTE_LENGTH) return { ok: false, problem: 'needs_reason' };
	try {
		return await db.transaction(
			'rw',
			[db.meta, db.items, db.staff, db.outbox, db.redemptions, db.voids, db.stockMovements],
			async () => {
				const [context, staff, redemption] = await Promise.all([
					readShopContext(db, now),
					activeStaff(db, input.staffId),
					db.redemptions.get(input.redemptionId)
				]);
				if (!context) throw new ShopRefusal('not_enrolled');
				if (!staff) throw new ShopRefusal('unknown_staff');
				if (!redemption) throw new ShopRefusal('unknown_redemption');
				if (redemption.status === 'rejected') throw new ShopRefusal('rejected_redemption');
				if (redemption.voidEventId) throw new ShopRefusal('already_voided');
				if (redemption.businessDate !== context.businessDate) {
					throw new ShopRefusal('not_same_day');
				}
				const items = await db.items.bulkGet(redemption.lines.map((line) => line.itemId));
				const event = await appendShopEvent(
					db,
					context,
					'void',
					{
						redemptionId: redemption.eventId,
						reason,
						staffId: staff.id,
						businessDate: context.businessDate
					},
					now
				);
				const record: VoidRecord = {
					eventId: event.id,
					deviceSeq: event.deviceSeq,
					redemptionId: redemption.eventId,
					residentId: redemption.residentId,
					points: redemption.totalPoints,
					reason,
					staffId: staff.id,
					businessDate: context.businessDate,
					occurredAt: event.occurredAt,
					status: 'pending',
					ackSeq: null
				};
				// Services carry no stock: only the goods lines go back on the shelf.
				const returned = redemption.lines.filter((_, i) => items[i]?.stockTracked);
				const writes: Array<Promise<unknown>> = [
					db.voids.add(record),
					db.redemptions.update(redemption.eventId, { voidEventId: event.id })
				];
				if (returned.length > 0) {
					const movement = pendingMovement(
						event,
						'voided',
						returned.map(({ itemId, name, quantity }) => ({ itemId, name, quantity })),
						{ note: reason }
					);
					writes.push(db.stockMovements.add(movement));
				}
				await Promise.all(writes);
				return { ok: true as const, event, void: record };
			}
		);
	} catch (error) {
		if (error instanceof ShopRefusal) return { ok: false, problem: error.problem as VoidProblem };
		throw error;
	}
}

export interface VoidableRedemption extends RedemptionRecord {
	voided: boolean;
}

/**
 * The current business day's redemptions on this kiosk, newest first, with a voided flag (the
 * server's refusals left out: there is nothing to void).
 */
export async function listVoidableRedemptions(
	db: KioskDb,
	now: Date = new Date()
): Promise<VoidableRedemption[]> {
	const context = await readShopContext(db, now);
	if (!context) return [];
	const redemptions = await db.redemptions
		.where('businessDate')
		.equals(context.businessDate)
		.toArray();
	return redemptions
		.filter((r) => r.status !== 'rejected')
		.sort((a, b) => b.deviceSeq - a.deviceSeq)
		.map((r) => ({ ...r, voided: Boolean(r.voidEventId) }));
}
