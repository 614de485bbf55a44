import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PULL_PAGE_DEFAULT, PULL_PAGE_MAX } from '$lib/protocol/limits';
import { seedLargeCommunity, type LargeCommunitySummary } from '../seed/large-community';
import { enrollTestDevice, pullPages, pushRequest, redemptionEvent } from '../testing/fixtures';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { pullPageSize, readChangePage } from './pull';
import { applyPushBatch } from './push';

let temp: TempDatabase;
let community: LargeCommunitySummary;
let other: LargeCommunitySummary;

beforeAll(async () => {
	temp = await openTempDatabase();
	community = await seedLargeCommunity(temp.db, { residents: 250, slug: 'pull-a' });
	other = await seedLargeCommunity(temp.db, { residents: 20, slug: 'pull-b' });
});
afterAll(() => temp.dispose());

function pullEverything(after: number, limit: number) {
	return pullPages(temp.db, community.communityId, after, limit);
}

describe('readChangePage', () => {
	it('starts a first pull with the community, then residents and items in seq order', async () => {
		const page = await readChangePage(temp.db, community.communityId, 0, 100);
		expect(page.changes[0]).toMatchObject({
			entity: 'community',
			data: { id: community.communityId, timeZone: 'Asia/Shanghai', offlineDailyLimit: 50 }
		});
		const seqs = page.changes.slice(1).map((change) => change.seq);
		expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
		expect(page.hasMore).toBe(true);
		expect(page.cursor).toBe(Math.max(...page.changes.map((c) => c.seq)));
	});

	it('pages through every entity of the community exactly once and nothing of another', async () => {
		const { pages } = await pullEverything(0, 64);
		const changes = pages.flatMap((page) => page.changes);
		const residents = changes.filter((c) => c.entity === 'resident').map((c) => c.data.id);
		expect(residents.sort((a, b) => a - b)).toEqual(community.residentIds);
		const items = changes.filter((c) => c.entity === 'item').map((c) => c.data.id);
		expect(items.sort((a, b) => a - b)).toEqual(community.itemIds);
		expect(changes.filter((c) => c.entity === 'community')).toHaveLength(1);
		expect(pages.every((page) => page.changes.length <= 65)).toBe(true);
		expect(residents.some((id) => other.residentIds.includes(id))).toBe(false);
	});

	it('masks names and sends only what the counter needs', async () => {
		const page = await readChangePage(temp.db, community.communityId, 0, 100);
		const resident = page.changes.find((c) => c.entity === 'resident')!;
		expect(Object.keys(resident.data).sort()).toEqual(
			[
				'active',
				'activeSerials',
				'balance',
				'building',
				'household',
				'id',
				'maskedName',
				'revokedSerials'
			].sort()
		);
		expect((resident.data as { maskedName: string }).maskedName).toMatch(/\*/);
	});

	it('answers an empty page with the same cursor when nothing changed', async () => {
		const { cursor } = await pullEverything(0, 500);
		const page = await readChangePage(temp.db, community.communityId, cursor, 500);
		expect(page).toMatchObject({ changes: [], cursor, hasMore: false });
	});

	it('brings a changed resident after the cursor, once, with the new balance', async () => {
		const { cursor } = await pullEverything(0, 500);
		const kiosk = await enrollTestDevice(temp.db, community.communityId);
		const residentId = community.residentIds[10]!;
		const itemId = community.itemIds[0]!;
		const event = await redemptionEvent(temp.db, kiosk.device, {
			residentId,
			lines: [{ itemId, quantity: 1, unitPoints: 0 }]
		});
		const pushed = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		const page = await readChangePage(temp.db, community.communityId, cursor, 500);
		expect(page.changes.map((c) => [c.entity, c.data.id])).toEqual([
			['resident', residentId],
			['item', itemId]
		]);
		expect(page.cursor).toBe((pushed.results[0] as { seq: number }).seq);
		const again = await readChangePage(temp.db, community.communityId, page.cursor, 500);
		expect(again.changes).toEqual([]);
	});

	it('keeps one feed row per entity however often it changed', async () => {
		const rows = await temp.db
			.selectFrom('changes')
			.select(({ fn }) => fn.countAll<number>().as('count'))
			.where('community_id', '=', community.communityId)
			.executeTakeFirstOrThrow();
		expect(Number(rows.count)).toBe(1 + community.residents + community.items);
	});

	it('uses the default page size when none is asked and caps large ones', () => {
		expect(pullPageSize(undefined)).toBe(PULL_PAGE_DEFAULT);
		expect(pullPageSize(0)).toBe(PULL_PAGE_DEFAULT);
		expect(pullPageSize(10)).toBe(10);
		expect(pullPageSize(99_999)).toBe(PULL_PAGE_MAX);
	});
});
