import Database from 'better-sqlite3';

/**
 * Read-only look at what the server recorded of shop mode (stock movements, ledger entries, day
 * reports), for the shop spec to compare with the report the kiosk printed.
 */
export class ShopServerDb {
	readonly #db: Database.Database;

	constructor(databasePath: string) {
		this.#db = new Database(databasePath, { readonly: true, fileMustExist: true });
	}

	close(): void {
		this.#db.close();
	}

	/** Stock on hand per stock-tracked item of the community: the sum of its movements. */
	stock(communityId: number): Map<number, number> {
		const rows = this.#db
			.prepare(
				`SELECT i.id AS itemId, COALESCE(SUM(m.quantity), 0) AS stock
				 FROM items i LEFT JOIN stock_movements m ON m.item_id = i.id
				 WHERE i.community_id = ? AND i.stock_tracked = 1 GROUP BY i.id`
			)
			.all(communityId) as { itemId: number; stock: number }[];
		return new Map(rows.map((row) => [row.itemId, row.stock]));
	}

	stockTrackedItemIds(communityId: number): Set<number> {
		const rows = this.#db
			.prepare('SELECT id FROM items WHERE community_id = ? AND stock_tracked = 1 AND active = 1')
			.all(communityId) as { id: number }[];
		return new Set(rows.map((row) => row.id));
	}

	countDifferenceLimit(communityId: number): number {
		const row = this.#db
			.prepare('SELECT count_difference_limit AS max FROM communities WHERE id = ?')
			.get(communityId) as { max: number };
		return row.max;
	}

	/** Movements of one device's events, summed per item and kind (signed). */
	deviceMovements(deviceId: string): Map<number, Record<string, number>> {
		const rows = this.#db
			.prepare(
				`SELECT item_id AS itemId, kind, SUM(quantity) AS quantity FROM stock_movements
				 WHERE actor_kind = 'device' AND actor_id = ? GROUP BY item_id, kind`
			)
			.all(deviceId) as { itemId: number; kind: string; quantity: number }[];
		const byItem = new Map<number, Record<string, number>>();
		for (const row of rows) {
			const kinds = byItem.get(row.itemId) ?? {};
			kinds[row.kind] = row.quantity;
			byItem.set(row.itemId, kinds);
		}
		return byItem;
	}

	/** Items some other device or the office moved since `sinceIso` (their stock is not ours to check). */
	itemsMovedByOthers(deviceId: string, sinceIso: string): Set<number> {
		const rows = this.#db
			.prepare(
				`SELECT DISTINCT item_id AS itemId FROM stock_movements
				 WHERE recorded_at >= ? AND NOT (actor_kind = 'device' AND actor_id = ?)`
			)
			.all(sinceIso, deviceId) as { itemId: number }[];
		return new Set(rows.map((row) => row.itemId));
	}

	/** Ledger entries that came from one device's events, with the reason. */
	deviceLedger(deviceId: string): { residentId: number; points: number; reason: string }[] {
		return this.#db
			.prepare(
				`SELECT l.resident_id AS residentId, l.points, l.reason FROM ledger_entries l
				 JOIN received_events e ON e.id = l.event_id
				 WHERE e.device_id = ? ORDER BY l.id`
			)
			.all(deviceId) as { residentId: number; points: number; reason: string }[];
	}

	/** The day report the server kept for a device and business day, as the kiosk sent it. */
	dayReport(deviceId: string, businessDate: string): unknown {
		const row = this.#db
			.prepare('SELECT report FROM day_reports WHERE device_id = ? AND business_date = ?')
			.get(deviceId, businessDate) as { report: string } | undefined;
		return row ? JSON.parse(row.report) : null;
	}

	/** Events of a device the server answered, by status. */
	eventStatuses(deviceId: string): { id: string; type: string; status: string }[] {
		return this.#db
			.prepare(
				`SELECT id, type, status FROM received_events WHERE device_id = ? ORDER BY received_at, id`
			)
			.all(deviceId) as { id: string; type: string; status: string }[];
	}
}
