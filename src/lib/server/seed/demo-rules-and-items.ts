import type { Kysely } from 'kysely';
import type { Database, NewStockMovement } from '../db/schema';
import { createItem, type CatalogueActor } from '../office/catalogue';
import { createRule, type OfficeActor } from '../office/point-rules';
import { DEMO_ITEMS, DEMO_NEW_ITEMS, DEMO_RULES, type DemoRule } from './demo-catalogue';
import { expectOk } from './demo-outcome';

/*
 * The demo's points lists and catalogue, entered through the office's own functions (each writes
 * its audit row, the items their first price in item_prices). Receiving goods is shop mode's
 * business, not the office's: the opening stock is written as the received movements a
 * shopkeeper's first delivery would leave.
 */

export type SeededRule = DemoRule & { id: number };

export interface SeededItem {
	id: number;
	name: string;
	points: number;
	stockTracked: boolean;
	openingStock: number | null;
	/** When it joined the catalogue: no redemption before that. */
	createdAt: number;
}

export async function seedDemoRules(
	db: Kysely<Database>,
	admin: OfficeActor,
	now: Date
): Promise<SeededRule[]> {
	const rules: SeededRule[] = [];
	for (const rule of DEMO_RULES) {
		const created = expectOk(
			await createRule(
				db,
				admin,
				{
					name: rule.name,
					category: rule.category,
					kind: rule.kind,
					points: Math.abs(rule.points),
					limitPeriod: null,
					limitCount: null,
					evidenceRequired: false
				},
				now
			),
			`create the rule ${rule.name}`
		);
		rules.push({ ...rule, id: created.ruleId });
	}
	return rules;
}

/**
 * Creates the catalogue (the last DEMO_NEW_ITEMS at `newItemsAt`, the rest at `openedAt`), each
 * with the picture our server draws for it, and receives the opening stock when an item arrives.
 */
export async function seedDemoItems(
	db: Kysely<Database>,
	admin: CatalogueActor,
	at: { openedAt: Date; newItemsAt: Date }
): Promise<SeededItem[]> {
	const items: SeededItem[] = [];
	const movements: NewStockMovement[] = [];
	for (const [index, item] of DEMO_ITEMS.entries()) {
		const createdAt = index >= DEMO_ITEMS.length - DEMO_NEW_ITEMS ? at.newItemsAt : at.openedAt;
		const stockTracked = item.openingStock !== null;
		const { itemId } = expectOk(
			await createItem(
				db,
				admin,
				{
					fields: {
						name: item.name,
						category: item.category,
						kind: item.kind,
						points: item.points,
						stockTracked,
						sortOrder: index,
						active: true
					},
					drawnPicture: true
				},
				createdAt
			),
			`create the item ${item.name}`
		);
		items.push({
			id: itemId,
			name: item.name,
			points: item.points,
			stockTracked,
			openingStock: item.openingStock,
			createdAt: createdAt.getTime()
		});
		if (item.openingStock) {
			movements.push({
				community_id: admin.communityId,
				item_id: itemId,
				kind: 'received',
				quantity: item.openingStock,
				actor_kind: 'office_account',
				actor_id: String(admin.accountId),
				occurred_at: createdAt.toISOString(),
				recorded_at: createdAt.toISOString()
			});
		}
	}
	if (movements.length > 0) await db.insertInto('stock_movements').values(movements).execute();
	return items;
}
