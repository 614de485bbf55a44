import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { seedLargeCommunity, type LargeCommunitySummary } from '../seed/large-community';
import { enrollTestDevice, pullPages, pushRequest, redemptionEvent } from '../testing/fixtures';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { deleteSupersededBy, FeedCompactor, latestFeedSeq } from './feed-compaction';
import { applyPushBatch } from './push';

let temp: TempDatabase;
let community: LargeCommunitySummary;

beforeAll(async () => {
	temp = await openTempDatabase();
	community = await seedLargeCommunity(temp.db, { residents: 40, slug: 'compact-a' });
});
afterAll(() => temp.dispose());

async function feedRows() {
	return temp.db
		.selectFrom('changes')
		.select(['seq', 'entity', 'entity_id'])
		.where('community_id', '=', community.communityId)
		.orderBy('seq')
		.execute();
}

async function pullAll(after: number) {
	const { pages, cursor } = await pullPages(temp.db, community.communityId, after, 7);
	return { changes: pages.flatMap((page) => page.changes), cursor };
}

/** Two pushes, each redeeming one of the first item (at 0 points) for every resident given. */
async function redeemTwice(residentIds: number[]) {
	const kiosk = await enrollTestDevice(temp.db, community.communityId);
	const itemId = community.itemIds[0]!;
	for (let round = 0; round < 2; round++) {
		const events = residentIds.map((residentId) =>
			redemptionEvent(kiosk.device, { residentId, lines: [{ itemId, quantity: 1, unitPoints: 0 }] })
		);
		const pushed = await applyPushBatch(temp.db, kiosk.device, pushRequest(events));
		expect(pushed.results.every((result) => result.status === 'applied')).toBe(true);
	}
}

describe('the append-only change feed', () => {
	it('pulls each entity once, newest snapshot, before and after compaction', async () => {
		const { cursor: before } = await pullAll(0);
		const touched = community.residentIds.slice(0, 3);
		await redeemTwice(touched);
		// Each resident and the item have a superseded row now.
		const rows = await feedRows();
		const residentRows = rows.filter((row) => row.entity === 'resident');
		expect(residentRows).toHaveLength(community.residents + 2 * touched.length);

		const first = await pullAll(0);
		const since = await pullAll(before);
		for (const pulled of [first.changes, since.changes]) {
			const keys = pulled.map((change) => `${change.entity}:${change.data.id}`);
			expect(new Set(keys).size).toBe(keys.length);
		}
		expect(since.changes.map((change) => [change.entity, change.data.id])).toEqual([
			...touched.map((id) => ['resident', id]),
			['item', community.itemIds[0]]
		]);

		const deleted = await deleteSupersededBy(temp.db, 0, await latestFeedSeq(temp.db));
		expect(deleted).toBe(2 * touched.length + 2);
		const compacted = await feedRows();
		expect(compacted).toHaveLength(1 + community.residents + community.items);
		// The same pulls answer the same changes from the compacted feed.
		expect(await pullAll(0)).toEqual(first);
		expect(await pullAll(before)).toEqual(since);
	});

	it('deletes only rows superseded by rows in the window it is given', async () => {
		const before = await latestFeedSeq(temp.db);
		await redeemTwice(community.residentIds.slice(5, 7));
		const latest = await latestFeedSeq(temp.db);
		// A window before the new rows supersedes nothing.
		expect(await deleteSupersededBy(temp.db, 0, before)).toBe(0);
		expect(await deleteSupersededBy(temp.db, before, latest)).toBe(2 * 2 + 2);
		expect(await deleteSupersededBy(temp.db, before, latest)).toBe(0);
	});
});

describe('FeedCompactor', () => {
	it('compacts once the feed stood still between two looks, then only what is new', async () => {
		await redeemTwice(community.residentIds.slice(10, 12));
		const compactor = new FeedCompactor(temp.db, { yieldBetween: async () => {} });
		// The first look only notes where the feed is.
		expect(await compactor.check()).toBe(0);
		// Still moving: nothing yet.
		await redeemTwice(community.residentIds.slice(12, 14));
		expect(await compactor.check()).toBe(0);
		// Quiet: everything superseded goes (both pairs, each pushed twice, and the item).
		expect(await compactor.check()).toBe(2 * 2 + 2 * 2 + 2 + 2);
		expect(await feedRows()).toHaveLength(1 + community.residents + community.items);
		expect(await compactor.check()).toBe(0);

		await redeemTwice(community.residentIds.slice(20, 21));
		expect(await compactor.check()).toBe(0);
		expect(await compactor.check()).toBe(2 + 2);
	});

	it('compacts a feed that never stands still once the last compaction is old enough', async () => {
		let now = 0;
		const compactor = new FeedCompactor(temp.db, {
			yieldBetween: async () => {},
			atLeastEveryMs: 60_000,
			now: () => now
		});
		await compactor.check();
		await compactor.check();
		// Busy: something new before every look.
		await redeemTwice(community.residentIds.slice(30, 31));
		now = 30_000;
		expect(await compactor.check()).toBe(0);
		await redeemTwice(community.residentIds.slice(31, 32));
		now = 60_000;
		expect(await compactor.check()).toBe(2 * (2 + 2));
		await redeemTwice(community.residentIds.slice(32, 33));
		now = 90_000;
		expect(await compactor.check()).toBe(0);
	});

	it('logs a failure and tries again at the next quiet moment', async () => {
		const failing = {
			selectFrom: () => {
				throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
			}
		} as unknown as Kysely<Database>;
		const log = vi.spyOn(console, 'error').mockImplementation(() => {});
		try {
			const compactor = new FeedCompactor(failing);
			expect(await compactor.check()).toBe(0);
			expect(log).toHaveBeenCalledWith(
				'change feed: compaction failed, will try again',
				expect.any(Error)
			);
		} finally {
			log.mockRestore();
		}
	});
});
