import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommunity } from '../office/communities';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { recordChanges, type EntityChange } from './change-feed';
import { readChangePage } from './pull';

let temp: TempDatabase;
let communityId: number;

beforeEach(async () => {
	temp = await openTempDatabase();
	communityId = await createCommunity(temp.db, { slug: 'feed', name: '变更社区' });
});
afterEach(() => temp.dispose());

const itemChange = (id: number, points: number): EntityChange => ({
	entity: 'item',
	entityId: id,
	data: {
		id,
		name: `商品${id}`,
		category: '日用品',
		kind: 'goods',
		points,
		stockTracked: true,
		stock: 1,
		imageUrl: null,
		active: true,
		sortOrder: 0
	}
});

describe('the change feed', () => {
	it('replaces an entity’s row with a newer one, so a pull sees it once with its latest state', async () => {
		const first = await recordChanges(temp.db, communityId, [itemChange(7, 10)], new Date());
		const second = await recordChanges(temp.db, communityId, [itemChange(7, 12)], new Date());
		expect(second.get('item:7')!).toBeGreaterThan(first.get('item:7')!);
		await recordChanges(temp.db, communityId, [itemChange(7, 15), itemChange(7, 16)], new Date());
		const rows = await temp.db
			.selectFrom('changes')
			.selectAll()
			.where('entity', '=', 'item')
			.execute();
		expect(rows).toHaveLength(1);
		const page = await readChangePage(temp.db, communityId, 0, 100);
		const items = page.changes.filter((change) => change.entity === 'item');
		expect(items.map((change) => change.data)).toMatchObject([{ id: 7, points: 16 }]);
	});

	it('brings a change made after a cursor to a device that already read the old row', async () => {
		await recordChanges(temp.db, communityId, [itemChange(7, 10), itemChange(8, 10)], new Date());
		const { cursor } = await readChangePage(temp.db, communityId, 0, 100);
		await recordChanges(temp.db, communityId, [itemChange(7, 11)], new Date());
		const page = await readChangePage(temp.db, communityId, cursor, 100);
		expect(page.changes.map((change) => [change.entity, change.data.id])).toEqual([['item', 7]]);
	});

	it('cannot hold two rows of one entity: the database refuses the second', async () => {
		await recordChanges(temp.db, communityId, [itemChange(7, 10)], new Date());
		await expect(
			temp.db
				.insertInto('changes')
				.values({
					community_id: communityId,
					entity: 'item',
					entity_id: 7,
					data: '{}',
					recorded_at: new Date().toISOString()
				})
				.execute()
		).rejects.toThrow(/UNIQUE/);
	});
});
