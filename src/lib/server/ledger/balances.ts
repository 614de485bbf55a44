import type { Kysely } from 'kysely';
import { chunked } from '../db/chunks';
import type { Database } from '../db/schema';

/** Balances are sums of the append-only ledger; residents without entries have 0. */
export async function residentBalances(
	db: Kysely<Database>,
	residentIds: readonly number[]
): Promise<Map<number, number>> {
	const balances = new Map<number, number>(residentIds.map((id) => [id, 0]));
	for (const ids of chunked([...new Set(residentIds)])) {
		const rows = await db
			.selectFrom('ledger_entries')
			.select(({ fn }) => ['resident_id', fn.sum<number>('points').as('balance')])
			.where('resident_id', 'in', ids)
			.groupBy('resident_id')
			.execute();
		for (const row of rows) balances.set(row.resident_id, Number(row.balance));
	}
	return balances;
}

export async function residentBalance(db: Kysely<Database>, residentId: number): Promise<number> {
	return (await residentBalances(db, [residentId])).get(residentId) ?? 0;
}

/** Stock on hand is the sum of the append-only movement log; items without movements have 0. */
export async function itemStocks(
	db: Kysely<Database>,
	itemIds: readonly number[]
): Promise<Map<number, number>> {
	const stocks = new Map<number, number>(itemIds.map((id) => [id, 0]));
	for (const ids of chunked([...new Set(itemIds)])) {
		const rows = await db
			.selectFrom('stock_movements')
			.select(({ fn }) => ['item_id', fn.sum<number>('quantity').as('stock')])
			.where('item_id', 'in', ids)
			.groupBy('item_id')
			.execute();
		for (const row of rows) stocks.set(row.item_id, Number(row.stock));
	}
	return stocks;
}
