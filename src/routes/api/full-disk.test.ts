import type { RequestEvent } from '@sveltejs/kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, getDatabase } from '$lib/server/db/connection';
import { createOfficeAccount } from '$lib/server/office/accounts';
import { logInOfficeAccount } from '$lib/server/office/login';
import { seedLargeCommunity, type LargeCommunitySummary } from '$lib/server/seed/large-community';
import { expectApiError } from '$lib/server/testing/api-calls';
import { enrollTestDevice, pushRequest, redemptionEvent } from '$lib/server/testing/fixtures';
import { mountTinyDisk, tinyDiskUnavailable, type TinyDisk } from '$lib/server/testing/tiny-disk';
import { GET as displayFeed } from './display/feed/+server';
import { GET as pull } from './sync/pull/+server';
import { POST as push } from './sync/push/+server';

/*
 * A really full disk (a small tmpfs, filled to the last byte), not `max_page_count`: the server
 * answers a push with 507 and keeps nothing of it, and still answers reads whose bookkeeping
 * (last_seen_at, failed-login counts) it cannot write.
 */

const unavailable = tinyDiskUnavailable();
if (unavailable) console.warn(`full-disk tests skipped: ${unavailable}`);

let disk: TinyDisk;
let community: LargeCommunitySummary;
let kioskToken: string;
let displayToken: string;
const previousDataDir = process.env.DATA_DIR;

function call(
	handler: (event: RequestEvent) => Promise<Response> | Response,
	url: string,
	init?: RequestInit
): Promise<Response> {
	const request = new Request(new URL(url, 'http://kiosk.test'), init);
	const event = { request, url: new URL(request.url), getClientAddress: () => '192.0.2.7' };
	return Promise.resolve(handler(event as unknown as RequestEvent));
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function count(table: 'ledger_entries' | 'received_events' | 'stock_movements') {
	const db = await getDatabase();
	const row = await db
		.selectFrom(table)
		.select(({ fn }) => fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Makes the next write need fresh room: nothing left in the WAL to reuse, never seen devices. */
async function fillDisk() {
	const db = await getDatabase();
	await db.updateTable('devices').set({ last_seen_at: null }).execute();
	await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
	disk.fill();
}

describe.skipIf(unavailable !== null)('a really full disk', () => {
	beforeAll(async () => {
		disk = mountTinyDisk(8 * 1024 * 1024);
		process.env.DATA_DIR = disk.path;
		const db = await getDatabase();
		community = await seedLargeCommunity(db, { residents: 20, slug: 'full-disk' });
		kioskToken = (await enrollTestDevice(db, community.communityId, 'kiosk')).token;
		displayToken = (await enrollTestDevice(db, community.communityId, 'display')).token;
		await createOfficeAccount(db, {
			communityId: community.communityId,
			username: 'office',
			displayName: '办公室',
			password: 'a long password',
			role: 'admin'
		});
	});
	afterAll(async () => {
		await closeDatabase(disk.path);
		disk.dispose();
		if (previousDataDir === undefined) delete process.env.DATA_DIR;
		else process.env.DATA_DIR = previousDataDir;
	});

	it('answers a push with 507, keeps nothing of it, and applies it once room is back', async () => {
		const db = await getDatabase();
		const device = await db
			.selectFrom('devices')
			.select(['id', 'community_id'])
			.where('kind', '=', 'kiosk')
			.executeTakeFirstOrThrow();
		const events = await Promise.all(
			Array.from({ length: 300 }, (_, i) =>
				redemptionEvent(db, device, {
					residentId: community.residentIds[i % community.residentIds.length]!,
					lines: [{ itemId: community.itemIds[0]!, quantity: 1, unitPoints: 0 }]
				})
			)
		);
		const body = JSON.stringify(pushRequest(events));
		const send = () =>
			call(push, '/api/sync/push', {
				method: 'POST',
				body,
				headers: { ...bearer(kioskToken), 'content-type': 'application/json' }
			});
		const before = await Promise.all([
			count('ledger_entries'),
			count('received_events'),
			count('stock_movements')
		]);

		await fillDisk();
		try {
			await expectApiError(await send(), 507, 'storage_full');
			expect(
				await Promise.all([
					count('ledger_entries'),
					count('received_events'),
					count('stock_movements')
				])
			).toEqual(before);
		} finally {
			disk.free();
		}

		const accepted = await send();
		expect(accepted.status).toBe(200);
		const { results } = (await accepted.json()) as { results: Array<{ status: string }> };
		expect(results.every((result) => result.status === 'applied')).toBe(true);
		expect(await count('ledger_entries')).toBe(before[0] + events.length);
	});

	it('answers 507 when the disk fills at the commit, and serves the next request', async () => {
		const db = await getDatabase();
		const device = await db
			.selectFrom('devices')
			.select(['id', 'community_id'])
			.where('kind', '=', 'kiosk')
			.executeTakeFirstOrThrow();
		const event = await redemptionEvent(db, device, {
			residentId: community.residentIds[0]!,
			lines: [{ itemId: community.itemIds[0]!, quantity: 1, unitPoints: 0 }]
		});
		const send = () =>
			call(push, '/api/sync/push', {
				method: 'POST',
				body: JSON.stringify(pushRequest([event])),
				headers: { ...bearer(kioskToken), 'content-type': 'application/json' }
			});
		await fillDisk();
		try {
			// One small event fits in memory; only writing the commit to disk fails, and SQLite
			// rolls the transaction back by itself.
			await expectApiError(await send(), 507, 'storage_full');
		} finally {
			disk.free();
		}
		const accepted = await send();
		expect(accepted.status).toBe(200);
	});

	it('still answers a pull, the display feed and a login while nothing can be written', async () => {
		await fillDisk();
		try {
			const pulled = await call(pull, '/api/sync/pull?after=0', { headers: bearer(kioskToken) });
			expect(pulled.status).toBe(200);
			const feed = await call(displayFeed, '/api/display/feed', { headers: bearer(displayToken) });
			expect(feed.status).toBe(200);

			const db = await getDatabase();
			const wrong = await logInOfficeAccount(db, {
				username: 'office',
				password: 'not the password',
				clientAddress: '192.0.2.8'
			});
			expect(wrong).toMatchObject({ ok: false, status: 400 });
			// The session itself needs room: either it fit, or the answer says the disk is full.
			const right = await logInOfficeAccount(db, {
				username: 'office',
				password: 'a long password',
				clientAddress: '192.0.2.8'
			});
			expect(right.ok || right.status === 507).toBe(true);
		} finally {
			disk.free();
		}
	});
});
