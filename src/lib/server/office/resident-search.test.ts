import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommunity } from './communities';
import { searchResidents } from './resident-search';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';

let temp: TempDatabase;
let communityId: number;

beforeEach(async () => {
	temp = await openTempDatabase();
	communityId = await createCommunity(temp.db, { slug: 'search', name: '搜索社区' });
	const otherId = await createCommunity(temp.db, { slug: 'other', name: '别的社区' });
	const household = async (community: number, building: string, label: string) =>
		(
			await temp.db
				.insertInto('households')
				.values({ community_id: community, building, label })
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;
	const resident = (community: number, householdId: number, name: string, phone: string | null) =>
		temp.db
			.insertInto('residents')
			.values({
				community_id: community,
				household_id: householdId,
				name,
				phone,
				active: name === '赵迁出' ? 0 : 1,
				created_at: new Date().toISOString()
			})
			.execute();
	const a = await household(communityId, '3栋', '3栋2单元501');
	const b = await household(communityId, '5栋', '5栋1单元102');
	await resident(communityId, a, '王秀英', '13800001234');
	await resident(communityId, a, '李建国', null);
	await resident(communityId, b, '王强', '13900005678');
	await resident(communityId, b, '赵迁出', null);
	await resident(otherId, await household(otherId, '3栋', '3栋2单元501'), '王秀英', null);
});

afterEach(() => temp.dispose());

const names = async (query: string, extra = {}) =>
	(await searchResidents(temp.db, communityId, { query, ...extra })).rows.map((r) => r.name);

describe('searchResidents', () => {
	it('finds residents of this community by part of the name, the room, or a phone tail', async () => {
		expect(await names('王')).toEqual(['王秀英', '王强']);
		expect(await names('2单元501')).toEqual(['王秀英', '李建国']);
		expect(await names('5678')).toEqual(['王强']);
	});

	it('leaves moved-out residents out unless asked', async () => {
		expect(await names('赵')).toEqual([]);
		expect(await names('赵', { includeMovedOut: true })).toEqual(['赵迁出']);
	});

	it('pages and counts', async () => {
		const page = await searchResidents(temp.db, communityId, { limit: 2, offset: 2 });
		expect(page.total).toBe(3);
		expect(page.rows.map((r) => r.name)).toEqual(['王强']);
	});

	it('treats LIKE wildcards as nothing special', async () => {
		expect(await names('%')).toHaveLength(3);
		expect(await names('_王')).toEqual(['王秀英', '王强']);
	});
});
