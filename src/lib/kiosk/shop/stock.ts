/**
 * Deliveries (入库) and losses (报损) recorded in shop mode, and stock on hand. Each write is the
 * local movement, the outbox event and the deviceSeq in ONE transaction; the movement counts on
 * top of the pulled stock until a pull reflects it (balances.ts).
 */
import { isStockQuantity } from '$lib/domain/stock-quantity';
import type { StockLossEvent, StockLossReason, StockReceiptEvent } from '$lib/protocol/events';
import { STOCK_LOSS_REASONS } from '$lib/protocol/events';
import { MAX_NOTE_LENGTH, MAX_RECEIPT_LINES } from '$lib/protocol/limits';
import { stockLevels } from '../balances';
import type { ItemRow, KioskDb, LocalStockMovement } from '../local-db';
import {
	activeStaff,
	appendShopEvent,
	pendingMovement,
	readShopContext,
	ShopRefusal
} from './shop-events';

export type StockProblem =
	| 'not_enrolled'
	| 'unknown_staff'
	/** Not a whole number from 1 to 100000 (0, −1, 1.5, 10⁹, empty). */
	| 'invalid_quantity'
	| 'no_lines'
	| 'too_many_lines'
	| 'duplicate_item'
	| 'unknown_item'
	/** A service or course: it has no stock. */
	| 'not_stock_tracked'
	| 'invalid_reason'
	| 'note_too_long';

export type StockOutcome<E> =
	{ ok: true; event: E; movement: LocalStockMovement } | { ok: false; problem: StockProblem };

export interface StockReceiptInput {
	staffId: number;
	lines: ReadonlyArray<{ itemId: number; quantity: number }>;
	note?: string;
}

export interface StockLossInput {
	staffId: number;
	itemId: number;
	quantity: number;
	reason: StockLossReason;
	note?: string;
}

function cleanNote(note: string | undefined): string | undefined {
	const trimmed = note?.trim();
	if (trimmed && trimmed.length > MAX_NOTE_LENGTH) throw new ShopRefusal('note_too_long');
	return trimmed || undefined;
}

function stockItem(item: ItemRow | undefined): ItemRow {
	if (!item) throw new ShopRefusal('unknown_item');
	if (!item.stockTracked) throw new ShopRefusal('not_stock_tracked');
	return item;
}

async function recordMovement<E extends StockReceiptEvent | StockLossEvent>(
	db: KioskDb,
	write: () => Promise<{ event: E; movement: LocalStockMovement }>
): Promise<StockOutcome<E>> {
	try {
		const written = await db.transaction(
			'rw',
			[db.meta, db.items, db.staff, db.outbox, db.stockMovements],
			write
		);
		return { ok: true, ...written };
	} catch (error) {
		if (error instanceof ShopRefusal) return { ok: false, problem: error.problem as StockProblem };
		throw error;
	}
}

export function recordStockReceipt(
	db: KioskDb,
	input: StockReceiptInput,
	now: Date = new Date()
): Promise<StockOutcome<StockReceiptEvent>> {
	return recordMovement(db, async () => {
		if (input.lines.length === 0) throw new ShopRefusal('no_lines');
		if (input.lines.length > MAX_RECEIPT_LINES) throw new ShopRefusal('too_many_lines');
		if (!input.lines.every((line) => isStockQuantity(line.quantity))) {
			throw new ShopRefusal('invalid_quantity');
		}
		if (new Set(input.lines.map((l) => l.itemId)).size !== input.lines.length) {
			throw new ShopRefusal('duplicate_item');
		}
		const note = cleanNote(input.note);
		const [context, staff, items] = await Promise.all([
			readShopContext(db, now),
			activeStaff(db, input.staffId),
			db.items.bulkGet(input.lines.map((line) => line.itemId))
		]);
		if (!context) throw new ShopRefusal('not_enrolled');
		if (!staff) throw new ShopRefusal('unknown_staff');
		const names = items.map((item) => stockItem(item).name);
		const lines = input.lines.map(({ itemId, quantity }) => ({ itemId, quantity }));
		const event = await appendShopEvent(
			db,
			context,
			'stockReceipt',
			{
				lines,
				...(note ? { note } : {}),
				staffId: staff.id,
				businessDate: context.businessDate
			},
			now
		);
		const movement = pendingMovement(
			event,
			'received',
			lines.map((line, i) => ({ ...line, name: names[i]! })),
			{ note }
		);
		await db.stockMovements.add(movement);
		return { event, movement };
	});
}

export function recordStockLoss(
	db: KioskDb,
	input: StockLossInput,
	now: Date = new Date()
): Promise<StockOutcome<StockLossEvent>> {
	return recordMovement(db, async () => {
		if (!isStockQuantity(input.quantity)) throw new ShopRefusal('invalid_quantity');
		if (!(STOCK_LOSS_REASONS as readonly string[]).includes(input.reason)) {
			throw new ShopRefusal('invalid_reason');
		}
		const note = cleanNote(input.note);
		const [context, staff, item] = await Promise.all([
			readShopContext(db, now),
			activeStaff(db, input.staffId),
			db.items.get(input.itemId)
		]);
		if (!context) throw new ShopRefusal('not_enrolled');
		if (!staff) throw new ShopRefusal('unknown_staff');
		const { name } = stockItem(item);
		const event = await appendShopEvent(
			db,
			context,
			'stockLoss',
			{
				itemId: input.itemId,
				quantity: input.quantity,
				reason: input.reason,
				...(note ? { note } : {}),
				staffId: staff.id,
				businessDate: context.businessDate
			},
			now
		);
		const movement = pendingMovement(
			event,
			'lost',
			[{ itemId: input.itemId, name, quantity: -input.quantity }],
			{ note, lossReason: input.reason }
		);
		await db.stockMovements.add(movement);
		return { event, movement };
	});
}

/**
 * Stock on hand per stock-tracked item id: server stock at the last pull plus this kiosk's
 * movements and minus its redemptions that the pull does not reflect yet.
 */
export async function stockOnHand(db: KioskDb): Promise<Map<number, number>> {
	return db.transaction('r', [db.meta, db.items, db.redemptions, db.stockMovements], async () => {
		const [levels, items] = await Promise.all([stockLevels(db), db.items.toArray()]);
		const tracked = new Set(items.filter((item) => item.stockTracked).map((item) => item.id));
		return new Map([...levels].filter(([itemId]) => tracked.has(itemId)));
	});
}
