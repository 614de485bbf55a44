import type { Kysely } from 'kysely';
import { checkItemInput, ITEM_KIND_NAMES } from '$lib/office/item-form';
import type { Database, ItemRow, StockMovementKind } from '../db/schema';
import { inTransaction } from '../db/transactions';
import { itemStocks } from '../ledger/balances';
import { recordItemChanges } from '../sync/change-feed';
import { isStoredImageName } from '../uploads/images';
import { recordAudit } from './audit';

/*
 * The catalogue of goods and services (issue 11 §6). Every change writes its audit row and the
 * kiosks' change-feed row in the same transaction, and every price an item ever had is kept in
 * item_prices from the moment it held (office II checks redemptions against it). Stock is only
 * read here: receiving and counting stay in shop mode.
 */

/** Who changes the catalogue: an office account of one community. */
export interface CatalogueActor {
	communityId: number;
	accountId: number;
}

/** Where item pictures are served (routes/media/items). */
export const ITEM_PICTURE_PATH = '/media/items/';

/** Where the demo's drawn item pictures are served (routes/demo/items/[id].svg). */
export const DRAWN_PICTURE_PATH = '/demo/items/';

export interface CatalogueItem {
	id: number;
	name: string;
	category: string;
	kind: ItemRow['kind'];
	points: number;
	stockTracked: boolean;
	/** Stock on hand (the movement log's sum); null for what is not stock-tracked. */
	stock: number | null;
	imageUrl: string | null;
	active: boolean;
	sortOrder: number;
	createdAt: string;
	updatedAt: string | null;
}

export type ItemStatusFilter = 'active' | 'retired' | 'all';

/**
 * A change to an item: the checked fields plus, for the picture, a stored file name (from
 * storeImage), null to take the picture away, or undefined to keep it.
 */
export interface ItemChange {
	fields: unknown;
	picture?: string | null;
	/**
	 * For the demo seed only (the office's forms never set it): instead of an upload, the tile our
	 * own server draws from the item's name and category, at DRAWN_PICTURE_PATH + '<id>.svg'.
	 * Uploads must be JPEG, PNG or WebP, and drawing Chinese text into one would need a font
	 * renderer; the drawn SVG is ours, not a user's, so it carries no script.
	 */
	drawnPicture?: boolean;
}

export type CatalogueOutcome = { ok: true; itemId: number } | { ok: false; message: string };

function toCatalogueItem(row: ItemRow, stock: number): CatalogueItem {
	const stockTracked = row.stock_tracked === 1;
	return {
		id: row.id,
		name: row.name,
		category: row.category,
		kind: row.kind,
		points: row.points,
		stockTracked,
		stock: stockTracked ? stock : null,
		imageUrl: row.image_url,
		active: row.active === 1,
		sortOrder: row.sort_order,
		createdAt: row.created_at,
		updatedAt: row.updated_at ?? null
	};
}

/** The community's items in the kiosk's order (sort order, then id), with stock on hand. */
export async function listItems(
	db: Kysely<Database>,
	communityId: number,
	status: ItemStatusFilter = 'all'
): Promise<CatalogueItem[]> {
	let query = db.selectFrom('items').selectAll().where('community_id', '=', communityId);
	if (status !== 'all') query = query.where('active', '=', status === 'active' ? 1 : 0);
	const rows = await query.orderBy('sort_order').orderBy('id').execute();
	const stocks = await itemStocks(
		db,
		rows.filter((row) => row.stock_tracked === 1).map((row) => row.id)
	);
	return rows.map((row) => toCatalogueItem(row, stocks.get(row.id) ?? 0));
}

export async function getItem(
	db: Kysely<Database>,
	communityId: number,
	itemId: number
): Promise<CatalogueItem | null> {
	const row = await db
		.selectFrom('items')
		.selectAll()
		.where('community_id', '=', communityId)
		.where('id', '=', itemId)
		.executeTakeFirst();
	if (!row) return null;
	return toCatalogueItem(row, (await itemStocks(db, [row.id])).get(row.id) ?? 0);
}

/** The next free place at the end of the list, for a new item's form. */
export async function nextSortOrder(db: Kysely<Database>, communityId: number): Promise<number> {
	const row = await db
		.selectFrom('items')
		.select(({ fn }) => fn.max('sort_order').as('last'))
		.where('community_id', '=', communityId)
		.executeTakeFirst();
	return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

/** The categories in use, for the form to offer while typing. */
export async function itemCategories(db: Kysely<Database>, communityId: number): Promise<string[]> {
	const rows = await db
		.selectFrom('items')
		.select('category')
		.distinct()
		.where('community_id', '=', communityId)
		.orderBy('category')
		.execute();
	return rows.map((row) => row.category);
}

/** The stored picture's address, or a Chinese reason when the name is not one we stored. */
function pictureUrl(picture: string): string | null {
	return isStoredImageName(picture) ? `${ITEM_PICTURE_PATH}${picture}` : null;
}

const BAD_PICTURE = '图片没有保存好，请重新选择图片';

function priceLabel(points: number): string {
	return `${points.toLocaleString('zh-CN')} 积分`;
}

export async function createItem(
	db: Kysely<Database>,
	actor: CatalogueActor,
	change: ItemChange,
	now: Date = new Date()
): Promise<CatalogueOutcome> {
	const checked = checkItemInput(change.fields);
	if (!checked.ok) return checked;
	const item = checked.item;
	let imageUrl = change.picture ? pictureUrl(change.picture) : null;
	if (change.picture && !imageUrl) return { ok: false, message: BAD_PICTURE };
	const at = now.toISOString();
	const itemId = await inTransaction(db, async (trx) => {
		const row = await trx
			.insertInto('items')
			.values({
				community_id: actor.communityId,
				name: item.name,
				category: item.category,
				kind: item.kind,
				points: item.points,
				stock_tracked: item.stockTracked ? 1 : 0,
				image_url: imageUrl,
				active: item.active ? 1 : 0,
				sort_order: item.sortOrder,
				created_at: at,
				updated_at: at
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		if (change.drawnPicture) {
			imageUrl = `${DRAWN_PICTURE_PATH}${row.id}.svg`;
			await trx
				.updateTable('items')
				.set({ image_url: imageUrl })
				.where('id', '=', row.id)
				.execute();
		}
		await recordPrice(trx, actor, row.id, item.points, at);
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'item.create',
				subject: `item:${row.id}`,
				summary: `新增${ITEM_KIND_NAMES[item.kind]} ${item.name}（${priceLabel(item.points)}）`,
				details: { ...item, imageUrl }
			},
			now
		);
		await recordItemChanges(trx, actor.communityId, [row.id], now);
		return row.id;
	});
	return { ok: true, itemId };
}

export async function updateItem(
	db: Kysely<Database>,
	actor: CatalogueActor,
	itemId: number,
	change: ItemChange,
	now: Date = new Date()
): Promise<CatalogueOutcome> {
	const checked = checkItemInput(change.fields);
	if (!checked.ok) return checked;
	const item = checked.item;
	let imageUrl: string | null | undefined = undefined;
	if (change.picture === null) imageUrl = null;
	else if (change.picture !== undefined) {
		imageUrl = pictureUrl(change.picture);
		if (!imageUrl) return { ok: false, message: BAD_PICTURE };
	}
	return db.transaction().execute(async (trx): Promise<CatalogueOutcome> => {
		const before = await trx
			.selectFrom('items')
			.selectAll()
			.where('community_id', '=', actor.communityId)
			.where('id', '=', itemId)
			.executeTakeFirst();
		if (!before) return { ok: false, message: '没有找到这个商品，可能已被删除' };
		const after = {
			name: item.name,
			category: item.category,
			kind: item.kind,
			points: item.points,
			stock_tracked: item.stockTracked ? 1 : 0,
			image_url: imageUrl === undefined ? before.image_url : imageUrl,
			active: item.active ? 1 : 0,
			sort_order: item.sortOrder
		} as const;
		const changed = describeChanges(before, after);
		if (changed.length === 0) return { ok: true, itemId };
		const at = now.toISOString();
		await trx
			.updateTable('items')
			.set({ ...after, updated_at: at })
			.where('id', '=', itemId)
			.execute();
		if (after.points !== before.points) {
			await recordPrice(trx, actor, itemId, after.points, at);
		}
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'item.update',
				subject: `item:${itemId}`,
				summary: `修改商品 ${before.name}：${changed.join('，')}`,
				details: { before: itemColumns(before), after }
			},
			now
		);
		await recordItemChanges(trx, actor.communityId, [itemId], now);
		return { ok: true, itemId };
	});
}

type ItemColumns = Pick<
	ItemRow,
	'name' | 'category' | 'kind' | 'points' | 'stock_tracked' | 'image_url' | 'active' | 'sort_order'
>;

function itemColumns(row: ItemRow): ItemColumns {
	const { name, category, kind, points, stock_tracked, image_url, active, sort_order } = row;
	return { name, category, kind, points, stock_tracked, image_url, active, sort_order };
}

/** The audit list's words for what an edit changed. */
function describeChanges(before: ItemRow, after: ItemColumns): string[] {
	const words: string[] = [];
	if (before.name !== after.name) words.push(`名称改为 ${after.name}`);
	if (before.category !== after.category) words.push(`分类改为 ${after.category}`);
	if (before.kind !== after.kind) words.push(`类型改为${ITEM_KIND_NAMES[after.kind]}`);
	if (before.points !== after.points) {
		words.push(`积分 ${before.points} → ${after.points}`);
	}
	if (before.stock_tracked !== after.stock_tracked) {
		words.push(after.stock_tracked ? '开始记库存' : '不再记库存');
	}
	if (before.image_url !== after.image_url) words.push(after.image_url ? '换了图片' : '去掉图片');
	if (before.active !== after.active) words.push(after.active ? '重新上架' : '下架');
	if (before.sort_order !== after.sort_order) words.push(`排列顺序改为 ${after.sort_order}`);
	return words;
}

async function recordPrice(
	trx: Kysely<Database>,
	actor: CatalogueActor,
	itemId: number,
	points: number,
	at: string
): Promise<void> {
	await trx
		.insertInto('item_prices')
		.values({
			community_id: actor.communityId,
			item_id: itemId,
			points,
			valid_from: at,
			account_id: actor.accountId
		})
		.execute();
}

/** 上架 / 下架 on its own (the list's button); the same audit and feed as an edit. */
export async function setItemActive(
	db: Kysely<Database>,
	actor: CatalogueActor,
	itemId: number,
	active: boolean,
	now: Date = new Date()
): Promise<CatalogueOutcome> {
	const item = await getItem(db, actor.communityId, itemId);
	if (!item) return { ok: false, message: '没有找到这个商品，可能已被删除' };
	return updateItem(db, actor, itemId, { fields: { ...item, active } }, now);
}

/**
 * Moves an item one place up or down the kiosk's order, past its neighbour of the same status (a
 * retired item in between, which the kiosk does not show, is stepped over). The whole list is
 * renumbered 0, 1, 2… so that ties (which the kiosk breaks by id) cannot make a move do nothing.
 */
export async function moveItem(
	db: Kysely<Database>,
	actor: CatalogueActor,
	itemId: number,
	direction: 'up' | 'down',
	now: Date = new Date()
): Promise<CatalogueOutcome> {
	return db.transaction().execute(async (trx): Promise<CatalogueOutcome> => {
		const rows = await trx
			.selectFrom('items')
			.select(['id', 'name', 'sort_order', 'active'])
			.where('community_id', '=', actor.communityId)
			.orderBy('sort_order')
			.orderBy('id')
			.execute();
		const from = rows.findIndex((row) => row.id === itemId);
		if (from < 0) return { ok: false, message: '没有找到这个商品，可能已被删除' };
		const peers = rows.flatMap((row, index) => (row.active === rows[from]!.active ? [index] : []));
		const to = peers[peers.indexOf(from) + (direction === 'up' ? -1 : 1)];
		if (to === undefined) return { ok: true, itemId };
		const order = [...rows];
		[order[from], order[to]] = [order[to]!, order[from]!];
		const moved: number[] = [];
		const at = now.toISOString();
		for (const [index, row] of order.entries()) {
			if (row.sort_order === index) continue;
			await trx
				.updateTable('items')
				.set({ sort_order: index, updated_at: at })
				.where('id', '=', row.id)
				.execute();
			moved.push(row.id);
		}
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'item.reorder',
				subject: `item:${itemId}`,
				summary: `${rows[from]!.name} ${direction === 'up' ? '上移' : '下移'}一位`,
				details: { order: order.map((row) => row.id) }
			},
			now
		);
		await recordItemChanges(trx, actor.communityId, moved, now);
		return { ok: true, itemId };
	});
}

export interface PriceHistoryRow {
	points: number;
	validFrom: string;
	accountName: string | null;
}

/** Every price the item had, newest first. */
export async function priceHistory(
	db: Kysely<Database>,
	communityId: number,
	itemId: number
): Promise<PriceHistoryRow[]> {
	return db
		.selectFrom('item_prices')
		.leftJoin('office_accounts', 'office_accounts.id', 'item_prices.account_id')
		.select([
			'item_prices.points',
			'item_prices.valid_from as validFrom',
			'office_accounts.display_name as accountName'
		])
		.where('item_prices.community_id', '=', communityId)
		.where('item_prices.item_id', '=', itemId)
		.orderBy('item_prices.valid_from', 'desc')
		.orderBy('item_prices.id', 'desc')
		.execute();
}

/**
 * The item's price at a moment: the last price set at or before it. An item with no price
 * history (made before the history was kept, like the demo's) has only ever had its current
 * price; null when the moment is before the item had any price.
 */
export async function priceOn(
	db: Kysely<Database>,
	itemId: number,
	instant: Date
): Promise<number | null> {
	const at = instant.toISOString();
	const held = await db
		.selectFrom('item_prices')
		.select('points')
		.where('item_id', '=', itemId)
		.where('valid_from', '<=', at)
		.orderBy('valid_from', 'desc')
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	if (held) return held.points;
	const anyPrice = await db
		.selectFrom('item_prices')
		.select('id')
		.where('item_id', '=', itemId)
		.limit(1)
		.executeTakeFirst();
	if (anyPrice) return null;
	const item = await db
		.selectFrom('items')
		.select('points')
		.where('id', '=', itemId)
		.executeTakeFirst();
	return item?.points ?? null;
}

/**
 * Every price the item held at some moment of [from, to): the price on `from` and each price set
 * within. A redemption at a price outside this set was at a price the item never had that day.
 */
export async function pricesDuring(
	db: Kysely<Database>,
	itemId: number,
	from: Date,
	to: Date
): Promise<number[]> {
	const prices = new Set<number>();
	const opening = await priceOn(db, itemId, from);
	if (opening !== null) prices.add(opening);
	const within = await db
		.selectFrom('item_prices')
		.select('points')
		.where('item_id', '=', itemId)
		.where('valid_from', '>', from.toISOString())
		.where('valid_from', '<', to.toISOString())
		.execute();
	for (const row of within) prices.add(row.points);
	return [...prices];
}

export interface StockLine {
	id: number;
	name: string;
	category: string;
	imageUrl: string | null;
	active: boolean;
	stock: number;
}

/** Every stock-tracked item with its stock on hand, the lowest first (what to restock). */
export async function stockOverview(
	db: Kysely<Database>,
	communityId: number
): Promise<StockLine[]> {
	const rows = await db
		.selectFrom('items')
		.leftJoin('stock_movements', 'stock_movements.item_id', 'items.id')
		.select(({ fn, val }) => [
			'items.id',
			'items.name',
			'items.category',
			'items.image_url as imageUrl',
			'items.active',
			'items.sort_order',
			fn.coalesce(fn.sum<number>('stock_movements.quantity'), val(0)).as('stock')
		])
		.where('items.community_id', '=', communityId)
		.where('items.stock_tracked', '=', 1)
		.groupBy('items.id')
		.orderBy('stock')
		.orderBy('items.sort_order')
		.orderBy('items.id')
		.execute();
	return rows.map((row) => ({
		id: row.id,
		name: row.name,
		category: row.category,
		imageUrl: row.imageUrl,
		active: row.active === 1,
		stock: Number(row.stock)
	}));
}

export interface MovementLine {
	id: number;
	kind: StockMovementKind;
	quantity: number;
	/** The kiosk it was done on; null for the office or the system. */
	byDevice: string | null;
	/** The staff member on the kiosk, or the office account; null when no one is known. */
	byPerson: string | null;
	reason: string | null;
	note: string | null;
	occurredAt: string;
	recordedAt: string;
}

export interface MovementPage {
	rows: MovementLine[];
	total: number;
}

/** One item's stock movements from all kiosks, newest first, a page at a time. */
export async function itemMovements(
	db: Kysely<Database>,
	communityId: number,
	itemId: number,
	page: { offset?: number; limit?: number } = {}
): Promise<MovementPage> {
	const base = db
		.selectFrom('stock_movements')
		.where('stock_movements.community_id', '=', communityId)
		.where('stock_movements.item_id', '=', itemId);
	const rows = await base
		.leftJoin('devices', (join) =>
			join
				.onRef('devices.id', '=', 'stock_movements.actor_id')
				.on('stock_movements.actor_kind', '=', 'device')
		)
		.leftJoin('office_accounts as staff', 'staff.id', 'stock_movements.staff_id')
		.leftJoin('office_accounts as office', (join) =>
			join
				.on('stock_movements.actor_kind', '=', 'office_account')
				.on((eb) => eb(eb.cast('office.id', 'text'), '=', eb.ref('stock_movements.actor_id')))
		)
		.select([
			'stock_movements.id',
			'stock_movements.kind',
			'stock_movements.quantity',
			'stock_movements.reason',
			'stock_movements.note',
			'stock_movements.occurred_at as occurredAt',
			'stock_movements.recorded_at as recordedAt',
			'devices.name as deviceName',
			'staff.display_name as staffName',
			'office.display_name as officeName'
		])
		.orderBy('stock_movements.occurred_at', 'desc')
		.orderBy('stock_movements.id', 'desc')
		.offset(page.offset ?? 0)
		.limit(page.limit ?? 30)
		.execute();
	const counted = await base
		.select(({ fn }) => fn.countAll<number>().as('total'))
		.executeTakeFirst();
	return {
		rows: rows.map((row) => ({
			id: row.id,
			kind: row.kind,
			quantity: row.quantity,
			byDevice: row.deviceName,
			byPerson: row.staffName ?? row.officeName,
			reason: row.reason ?? null,
			note: row.note ?? null,
			occurredAt: row.occurredAt,
			recordedAt: row.recordedAt
		})),
		total: Number(counted?.total ?? 0)
	};
}
