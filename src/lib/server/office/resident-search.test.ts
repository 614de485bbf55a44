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

describe('searchResidents with many matches', () => {
	it('gives the same order when it walks households as when it sorts all matches', async () => {
		const households = await temp.db
			.insertInto('households')
			.values(
				Array.from({ length: 300 }, (_, i) => ({
					community_id: communityId,
					building: `${(i % 7) + 1}栋`,
					label: `${(i % 7) + 1}栋${1000 - i}`
				}))
			)
			.returning('id')
			.execute();
		for (let start = 0; start < 6_000; start += 500) {
			await temp.db
				.insertInto('residents')
				.values(
					Array.from({ length: 500 }, (_, i) => ({
						community_id: communityId,
						household_id: households[(start + i) % 300]!.id,
						name: `居民${start + i}`,
						phone: null,
						active: 1 as const,
						created_at: new Date().toISOString()
					}))
				)
				.execute();
		}
		const ids = async (offset: number, limit: number) =>
			(await searchResidents(temp.db, communityId, { query: '居民', offset, limit })).rows.map(
				(r) => r.id
			);
		const sorted = await ids(0, 400); // (0 + 400) × 20 > 6,000 matches: sorts them all
		expect(await ids(0, 20)).toEqual(sorted.slice(0, 20)); // walks
		expect(await ids(100, 20)).toEqual(sorted.slice(100, 120)); // walks
		expect(await ids(5_990, 20)).toHaveLength(10); // few left: sorts
		expect((await searchResidents(temp.db, communityId, { query: '居民' })).total).toBe(6_000);
	});
});
