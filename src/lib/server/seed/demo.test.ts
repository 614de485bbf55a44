import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { residentBalances } from '../ledger/balances';
import { seedDemo, type DemoSeedSummary } from './demo';

describe('demo seed', () => {
	let temp: TempDatabase;
	let summary: DemoSeedSummary;
	const now = new Date('2025-06-01T04:00:00Z');

	beforeAll(async () => {
		temp = await openTempDatabase();
		summary = await seedDemo(temp.db, { now });
	});
	afterAll(() => temp.dispose());

	it('creates the demo community as id 1 and the foreign one as id 2', () => {
		expect(summary.communityId).toBe(1);
		expect(summary.foreignCommunityId).toBe(2);
		expect(summary.residents).toBe(200);
		expect(summary.households).toBe(80);
		expect(summary.items).toBe(30);
	});

	it('gives residents varied balances: some near zero, a few above 300, none negative', async () => {
		const ids = await temp.db
			.selectFrom('residents')
			.select('id')
			.where('community_id', '=', 1)
			.execute();
		const balances = [
			...(
				await residentBalances(
					temp.db,
					ids.map((row) => row.id)
				)
			).values()
		];
		expect(balances.filter((b) => b < 0)).toEqual([]);
		expect(balances.filter((b) => b <= 5).length).toBeGreaterThanOrEqual(5);
		expect(balances.filter((b) => b >= 300).length).toBeGreaterThanOrEqual(2);
		console.log([...balances].sort((a, b) => a - b).join(' '));
	});

	it('is the same on every run', async () => {
		const again = await openTempDatabase();
		await seedDemo(again.db, { now });
		const names = (db: TempDatabase['db']) =>
			db.selectFrom('residents').select('name').orderBy('id').execute();
		expect(await names(again.db)).toEqual(await names(temp.db));
		await again.dispose();
	});
});
