import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database, NewStockMovement } from '../db/schema';
import { createOfficeAccount } from './accounts';
import {
	createItem,
	getItem,
	itemMovements,
	listItems,
	moveItem,
	priceHistory,
	priceOn,
	pricesDuring,
	setItemActive,
	stockOverview,
	updateItem,
	type CatalogueActor
} from './catalogue';
import { createCommunity } from './communities';
import { FORM_TOO_LARGE_MESSAGE, readOfficeForm } from './office-form';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';

let temp: TempDatabase;
let db: Kysely<Database>;
let actor: CatalogueActor;
let otherActor: CatalogueActor;

const PICTURE = `${'ab'.repeat(16)}.webp`;
const T0 = new Date('2026-12-01T02:00:00Z');
const later = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

const rice = {
	name: '东北大米 5kg',
	category: '粮油',
	kind: 'goods',
	points: 120,
	stockTracked: true,
	sortOrder: 0,
	active: true
};

beforeEach(async () => {
	temp = await openTempDatabase();
	db = temp.db;
	const communityId = await createCommunity(db, { slug: 'shop', name: '幸福社区' });
	const otherCommunity = await createCommunity(db, { slug: 'other', name: '别的社区' });
	const account = (community: number, username: string) =>
		createOfficeAccount(db, {
			communityId: community,
			username,
			displayName: `管理员${username}`,
			password: 'secret-password',
			role: 'admin'
		});
	actor = { communityId, accountId: await account(communityId, 'admin') };
	otherActor = { communityId: otherCommunity, accountId: await account(otherCommunity, 'other') };
});

afterEach(() => temp.dispose());

/** What a refused change must leave untouched: items, prices, audit rows and the feed. */
async function counts() {
	const count = async (table: 'items' | 'item_prices' | 'audit_log' | 'changes') =>
		Number(
			(
				await db
					.selectFrom(table)
					.select(({ fn }) => fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow()
			).n
		);
	return {
		items: await count('items'),
		prices: await count('item_prices'),
		audit: await count('audit_log'),
		feed: await count('changes')
	};
}

async function feedSnapshot(itemId: number) {
	const row = await db
		.selectFrom('changes')
		.select('data')
		.where('entity', '=', 'item')
		.where('entity_id', '=', itemId)
		.orderBy('seq', 'desc')
		.executeTakeFirst();
	return row ? (JSON.parse(row.data) as Record<string, unknown>) : null;
}

async function created(fields: object = rice, picture?: string, now = T0): Promise<number> {
	const outcome = await createItem(db, actor, { fields, picture }, now);
	if (!outcome.ok) throw new Error(outcome.message);
	return outcome.itemId;
}

describe('createItem', () => {
	it('writes the item, its first price, an audit row and the kiosks’ feed row together', async () => {
		const id = await created(rice, PICTURE);

		const item = await getItem(db, actor.communityId, id);
		expect(item).toMatchObject({
			name: '东北大米 5kg',
			points: 120,
			stockTracked: true,
			stock: 0,
			imageUrl: `/media/items/${PICTURE}`,
			active: true
		});
		expect(await priceHistory(db, actor.communityId, id)).toEqual([
			{ points: 120, validFrom: T0.toISOString(), accountName: '管理员admin' }
		]);
		const audit = await db.selectFrom('audit_log').selectAll().executeTakeFirstOrThrow();
		expect(audit).toMatchObject({ action: 'item.create', subject: `item:${id}` });
		expect(audit.summary).toBe('新增商品 东北大米 5kg（120 积分）');
		expect(await feedSnapshot(id)).toMatchObject({
			points: 120,
			imageUrl: `/media/items/${PICTURE}`
		});
	});

	it('never counts stock for a service or a course', async () => {
		const id = await created({ ...rice, name: '理疗一次', kind: 'service', stockTracked: true });
		expect(await getItem(db, actor.communityId, id)).toMatchObject({
			stockTracked: false,
			stock: null
		});
	});

	it.each([
		[{ points: -1 }, '积分价格要填 1 到 100,000 之间的整数'],
		[{ points: 0 }, '积分价格要填 1 到 100,000 之间的整数'],
		[{ points: 1_000_000_000 }, '积分价格要填 1 到 100,000 之间的整数'],
		[{ points: 100_001 }, '积分价格要填 1 到 100,000 之间的整数'],
		[{ points: 1.5 }, '积分价格要填 1 到 100,000 之间的整数'],
		[{ points: Number.NaN }, '积分价格要填 1 到 100,000 之间的整数'],
		[{ name: '' }, '请填写名称'],
		[{ name: '  ' }, '请填写名称'],
		[{ name: '米'.repeat(31) }, '名称最多 30 个字'],
		[{ category: '' }, '请填写分类'],
		[{ kind: 'gift' }, '请选择商品、服务或课程'],
		[{ sortOrder: -3 }, '排列顺序要填 0 到 9999 之间的整数']
	])('refuses %o with a Chinese reason and writes nothing', async (bad, message) => {
		const before = await counts();
		expect(await createItem(db, actor, { fields: { ...rice, ...bad } }, T0)).toEqual({
			ok: false,
			message
		});
		expect(await counts()).toEqual(before);
	});

	it('takes the bounds themselves: 1 and 100,000 points, a 30-character name', async () => {
		await created({ ...rice, points: 1 });
		await created({ ...rice, points: 100_000, name: '米'.repeat(30) });
		expect((await listItems(db, actor.communityId)).map((item) => item.points)).toEqual([
			1, 100_000
		]);
	});

	it('refuses a picture name the upload never made', async () => {
		const before = await counts();
		for (const picture of ['../credit-shop.sqlite', 'x.svg', `${'ab'.repeat(16)}.svg`]) {
			const outcome = await createItem(db, actor, { fields: rice, picture }, T0);
			expect(outcome).toEqual({ ok: false, message: '图片没有保存好，请重新选择图片' });
		}
		expect(await counts()).toEqual(before);
	});

	it('keeps HTML typed into a name as the text it is', async () => {
		const id = await created({ ...rice, name: '<img src=x onerror=alert(1)>' });
		expect((await getItem(db, actor.communityId, id))?.name).toBe('<img src=x onerror=alert(1)>');
	});

	it('gives a demo item the picture our server draws for it, with its audit row', async () => {
		const outcome = await createItem(db, actor, { fields: rice, drawnPicture: true }, T0);
		if (!outcome.ok) throw new Error(outcome.message);
		const item = await getItem(db, actor.communityId, outcome.itemId);
		expect(item?.imageUrl).toBe(`/demo/items/${outcome.itemId}.svg`);
		const audit = await db
			.selectFrom('audit_log')
			.select('details')
			.where('subject', '=', `item:${outcome.itemId}`)
			.executeTakeFirstOrThrow();
		expect(JSON.parse(audit.details!)).toMatchObject({ imageUrl: item?.imageUrl });
	});
});

describe('updateItem', () => {
	it('a price change keeps the old price in the history and reaches the feed', async () => {
		const id = await created();
		expect(await updateItem(db, actor, id, { fields: { ...rice, points: 150 } }, later(2))).toEqual(
			{ ok: true, itemId: id }
		);

		expect((await priceHistory(db, actor.communityId, id)).map((row) => row.points)).toEqual([
			150, 120
		]);
		expect(await feedSnapshot(id)).toMatchObject({ points: 150 });
		const audit = await db
			.selectFrom('audit_log')
			.select('summary')
			.where('action', '=', 'item.update')
			.executeTakeFirstOrThrow();
		expect(audit.summary).toBe('修改商品 东北大米 5kg：积分 120 → 150');
	});

	it('an edit that changes nothing writes nothing', async () => {
		const id = await created(rice, PICTURE);
		const before = await counts();
		expect(await updateItem(db, actor, id, { fields: rice }, later(1))).toEqual({
			ok: true,
			itemId: id
		});
		expect(await counts()).toEqual(before);
	});

	it('keeps the picture unless a new one or its removal is asked for', async () => {
		const id = await created(rice, PICTURE);
		await updateItem(db, actor, id, { fields: { ...rice, name: '大米' } }, later(1));
		expect((await getItem(db, actor.communityId, id))?.imageUrl).toBe(`/media/items/${PICTURE}`);
		await updateItem(db, actor, id, { fields: rice, picture: null }, later(2));
		expect((await getItem(db, actor.communityId, id))?.imageUrl).toBeNull();
	});

	it('refuses a bad price and changes nothing', async () => {
		const id = await created();
		const before = await counts();
		for (const points of [-1, 1_000_000_000]) {
			const outcome = await updateItem(db, actor, id, { fields: { ...rice, points } }, later(1));
			expect(outcome.ok).toBe(false);
		}
		expect(await counts()).toEqual(before);
		expect((await getItem(db, actor.communityId, id))?.points).toBe(120);
	});

	it("cannot touch another community's item", async () => {
		const id = await created();
		const before = await counts();
		const outcome = await updateItem(db, otherActor, id, { fields: { ...rice, points: 1 } });
		expect(outcome.ok).toBe(false);
		expect(await moveItem(db, otherActor, id, 'down')).toMatchObject({ ok: false });
		expect(await counts()).toEqual(before);
	});

	it('retires and restores an item, and the kiosks hear of it', async () => {
		const id = await created();
		await setItemActive(db, actor, id, false, later(1));
		expect(await feedSnapshot(id)).toMatchObject({ active: false });
		expect((await listItems(db, actor.communityId, 'retired')).map((item) => item.id)).toEqual([
			id
		]);
		expect(await listItems(db, actor.communityId, 'active')).toEqual([]);
		await setItemActive(db, actor, id, true, later(2));
		expect(await feedSnapshot(id)).toMatchObject({ active: true });
	});
});

describe('priceOn and pricesDuring', () => {
	it('answers the price valid at a moment, and null before the item had one', async () => {
		const id = await created();
		await updateItem(db, actor, id, { fields: { ...rice, points: 150 } }, later(5));

		expect(await priceOn(db, id, later(-1))).toBeNull();
		expect(await priceOn(db, id, T0)).toBe(120);
		expect(await priceOn(db, id, later(4.99))).toBe(120);
		expect(await priceOn(db, id, later(5))).toBe(150);
		expect(await priceOn(db, id, later(100))).toBe(150);
	});

	it('an item made before price history (the demo seed) has only its current price', async () => {
		const row = await db
			.insertInto('items')
			.values({
				community_id: actor.communityId,
				name: '旧商品',
				category: '日用',
				kind: 'goods',
				points: 30,
				stock_tracked: 0,
				image_url: '/demo/items/1.svg',
				active: 1,
				sort_order: 0,
				created_at: T0.toISOString()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		expect(await priceOn(db, row.id, later(-100))).toBe(30);
	});

	it('lists every price an item held during a day', async () => {
		const id = await created();
		await updateItem(db, actor, id, { fields: { ...rice, points: 150 } }, later(3));
		await updateItem(db, actor, id, { fields: { ...rice, points: 90 } }, later(30));
		expect((await pricesDuring(db, id, later(1), later(25))).sort()).toEqual([120, 150]);
		expect(await pricesDuring(db, id, later(26), later(28))).toEqual([150]);
	});
});

describe('moveItem', () => {
	it('swaps an item with its neighbour and renumbers the list', async () => {
		const a = await created({ ...rice, name: '甲', sortOrder: 5 });
		const b = await created({ ...rice, name: '乙', sortOrder: 5 });
		const c = await created({ ...rice, name: '丙', sortOrder: 9 });
		await moveItem(db, actor, c, 'up', later(1));
		expect((await listItems(db, actor.communityId)).map((item) => item.name)).toEqual([
			'甲',
			'丙',
			'乙'
		]);
		expect(await feedSnapshot(c)).toMatchObject({ sortOrder: 1 });
		await moveItem(db, actor, a, 'up', later(2));
		expect((await listItems(db, actor.communityId)).map((item) => item.id)).toEqual([a, c, b]);
	});

	it('steps over a retired item, which the kiosk does not show', async () => {
		const a = await created({ ...rice, name: '甲', sortOrder: 0 });
		const retired = await created({ ...rice, name: '乙', sortOrder: 1, active: false });
		const c = await created({ ...rice, name: '丙', sortOrder: 2 });
		await moveItem(db, actor, c, 'up', later(1));
		expect((await listItems(db, actor.communityId)).map((item) => item.id)).toEqual([
			c,
			retired,
			a
		]);
	});
});

describe('stock', () => {
	async function movement(itemId: number, movement: Partial<NewStockMovement>) {
		await db
			.insertInto('stock_movements')
			.values({
				community_id: actor.communityId,
				item_id: itemId,
				kind: 'received',
				quantity: 1,
				event_id: null,
				actor_kind: 'office_account',
				actor_id: String(actor.accountId),
				occurred_at: T0.toISOString(),
				recorded_at: T0.toISOString(),
				...movement
			})
			.execute();
	}

	it('lists stock-tracked items only, the lowest stock first', async () => {
		const oil = await created({ ...rice, name: '花生油' });
		const soap = await created({ ...rice, name: '肥皂' });
		await created({ ...rice, name: '理发', kind: 'service' });
		const empty = await created({ ...rice, name: '酱油' });
		await movement(oil, { quantity: 20 });
		await movement(oil, { kind: 'redeemed', quantity: -3 });
		await movement(soap, { quantity: 2 });
		expect(
			(await stockOverview(db, actor.communityId)).map((line) => [line.id, line.stock])
		).toEqual([
			[empty, 0],
			[soap, 2],
			[oil, 17]
		]);
	});

	it("pages an item's movements newest first, with the kiosk and the staff member", async () => {
		const oil = await created({ ...rice, name: '花生油' });
		await db
			.insertInto('devices')
			.values({
				id: 'dev-1',
				community_id: actor.communityId,
				kind: 'kiosk',
				name: '一号柜台',
				token_hash: 'x',
				enrolled_at: T0.toISOString(),
				revoked_at: null,
				last_seen_at: null
			})
			.execute();
		await movement(oil, { quantity: 20, occurred_at: later(1).toISOString() });
		for (let i = 2; i <= 5; i++) {
			await movement(oil, {
				kind: 'redeemed',
				quantity: -1,
				actor_kind: 'device',
				actor_id: 'dev-1',
				staff_id: actor.accountId,
				occurred_at: later(i).toISOString()
			});
		}
		const first = await itemMovements(db, actor.communityId, oil, { limit: 3 });
		expect(first.total).toBe(5);
		expect(first.rows.map((row) => row.occurredAt)).toEqual([
			later(5).toISOString(),
			later(4).toISOString(),
			later(3).toISOString()
		]);
		expect(first.rows[0]).toMatchObject({
			kind: 'redeemed',
			quantity: -1,
			byDevice: '一号柜台',
			byPerson: '管理员admin'
		});
		const second = await itemMovements(db, actor.communityId, oil, { offset: 3, limit: 3 });
		expect(second.rows.map((row) => row.kind)).toEqual(['redeemed', 'received']);
		expect(second.rows[1]).toMatchObject({ byDevice: null, byPerson: '管理员admin' });
		expect((await itemMovements(db, otherActor.communityId, oil)).total).toBe(0);
	});
});

describe('readOfficeForm', () => {
	it('answers a body past the server limit with a Chinese sentence, not an error page', async () => {
		const tooLarge = new Request('http://localhost/admin/items/new', {
			method: 'POST',
			headers: { 'content-type': 'multipart/form-data; boundary=x' },
			body: new ReadableStream({
				start(controller) {
					// What adapter-node's body reader does past BODY_SIZE_LIMIT.
					controller.error(Object.assign(new Error('Payload Too Large'), { status: 413 }));
				}
			}),
			duplex: 'half'
		} as RequestInit);
		expect(await readOfficeForm(tooLarge)).toEqual({
			ok: false,
			message: FORM_TOO_LARGE_MESSAGE
		});
		expect(FORM_TOO_LARGE_MESSAGE).toMatch(/太大/);
	});
});
