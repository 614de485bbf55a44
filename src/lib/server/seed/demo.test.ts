import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { residentBalances } from '../ledger/balances';
import { DEMO_ACCOUNTS, seedDemo, type DemoSeedSummary } from './demo';
import { DEMO_ITEMS, DEMO_RULES } from './demo-catalogue';

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
		const ledger = (db: TempDatabase['db']) =>
			db
				.selectFrom('ledger_entries')
				.select(['resident_id', 'points', 'reason', 'occurred_at'])
				.orderBy('id')
				.execute();
		expect(await names(again.db)).toEqual(await names(temp.db));
		expect(await ledger(again.db)).toEqual(await ledger(temp.db));
		await again.dispose();
	});

	describe('is built through the office functions', () => {
		const accountId = async (username: string) =>
			(
				await temp.db
					.selectFrom('office_accounts')
					.select('id')
					.where('username', '=', username)
					.executeTakeFirstOrThrow()
			).id;
		const auditCount = async (action: string) =>
			Number(
				(
					await temp.db
						.selectFrom('audit_log')
						.select(({ fn }) => fn.countAll().as('count'))
						.where('community_id', '=', 1)
						.where('action', '=', action)
						.executeTakeFirstOrThrow()
				).count
			);

		it('writes an audit row for each kind of office work', async () => {
			expect(await auditCount('import.residents')).toBe(1);
			expect(await auditCount('card.bulk_issue')).toBe(6);
			expect(await auditCount('card.replace')).toBe(1);
			expect(await auditCount('card.revoke')).toBe(1);
			expect(await auditCount('rule.create')).toBe(DEMO_RULES.length);
			expect(await auditCount('item.create')).toBe(DEMO_ITEMS.length);
			expect(await auditCount('account.create')).toBe(2);
			expect(await auditCount('account.staff_pin')).toBe(1);
			expect(await auditCount('points.record')).toBeGreaterThan(500);
			expect(await auditCount('points.approve')).toBeGreaterThan(10);
		});

		it('names the admin in every audit row, and the 网格员 only for the points he recorded', async () => {
			const admin = await accountId(DEMO_ACCOUNTS.admin.username);
			const grid = await accountId(DEMO_ACCOUNTS.gridWorker.username);
			const rows = await temp.db
				.selectFrom('audit_log')
				.select(['account_id', 'action'])
				.where('community_id', '=', 1)
				.execute();
			const byGrid = rows.filter((row) => row.account_id === grid);
			expect(byGrid.length).toBeGreaterThan(0);
			expect(new Set(byGrid.map((row) => row.action))).toEqual(new Set(['points.record']));
			expect(rows.filter((row) => row.account_id !== grid && row.account_id !== admin)).toEqual([]);
		});

		it('gives every item its first price and its drawn picture', async () => {
			const items = await temp.db
				.selectFrom('items')
				.leftJoin('item_prices', 'item_prices.item_id', 'items.id')
				.select(['items.id', 'items.image_url', 'item_prices.points as price', 'items.points'])
				.where('items.community_id', '=', 1)
				.execute();
			expect(items).toHaveLength(DEMO_ITEMS.length);
			for (const item of items) {
				expect(item.price).toBe(item.points);
				expect(item.image_url).toBe(`/demo/items/${item.id}.svg`);
			}
		});

		it('writes earning and penalties as approved point records, each entry with its rule name', async () => {
			const entries = await temp.db
				.selectFrom('ledger_entries')
				.leftJoin('point_records', 'point_records.ledger_entry_id', 'ledger_entries.id')
				.select(['ledger_entries.rule_name', 'point_records.status'])
				.where('ledger_entries.community_id', '=', 1)
				.where('ledger_entries.reason', 'in', ['earn', 'penalty'])
				.execute();
			expect(entries.length).toBeGreaterThan(1000);
			expect(entries.filter((entry) => !entry.rule_name || entry.status !== 'approved')).toEqual(
				[]
			);
			const pending = await temp.db
				.selectFrom('point_records')
				.select('id')
				.where('status', '!=', 'approved')
				.execute();
			expect(pending).toEqual([]);
		});

		it('leaves one lost card replaced and one lost card without a replacement', async () => {
			const cards = (residentId: number) =>
				temp.db
					.selectFrom('cards')
					.select(['serial', 'revoked_at', 'revoked_by_account_id'])
					.where('resident_id', '=', residentId)
					.orderBy('serial')
					.execute();
			const admin = await accountId(DEMO_ACCOUNTS.admin.username);
			expect(await cards(summary.reissuedCardResidentId)).toEqual([
				{ serial: 1, revoked_at: expect.any(String), revoked_by_account_id: admin },
				{ serial: 2, revoked_at: null, revoked_by_account_id: null }
			]);
			expect(await cards(summary.revokedCardResidentId)).toEqual([
				{ serial: 1, revoked_at: expect.any(String), revoked_by_account_id: admin }
			]);
		});
	});
});
