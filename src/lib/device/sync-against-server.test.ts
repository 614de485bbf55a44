/**
 * The device layer against the real server routes (in process, on a temporary SQLite folder):
 * enroll with a minted code, pull the demo community, look a real card up, redeem, push, pull.
 * A contract check between the two sides; each side has its own detailed tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, getDatabase } from '$lib/server/db/connection';
import { mintEnrollmentCode } from '$lib/server/devices/enrollment';
import { importCommunityPrivateKey, residentCardText } from '$lib/server/keys/community-keys';
import { residentBalance } from '$lib/server/ledger/balances';
import { seedDemo, type DemoSeedSummary } from '$lib/server/seed/demo';
import { POST as enrollRoute } from '../../routes/api/devices/enroll/+server';
import { GET as pullRoute } from '../../routes/api/sync/pull/+server';
import { POST as pushRoute } from '../../routes/api/sync/push/+server';
import { ApiClient } from './api-client';
import { availableBalance } from './balances';
import { lookupCard } from './card-lookup';
import { enrollDevice } from './enrollment';
import type { KioskDb } from './local-db';
import { recordRedemption } from './redemption';
import { SyncEngine } from './sync-client';
import { freshDb } from './testing/kiosk-fixtures';

type RouteEvent = Parameters<typeof pullRoute>[0];

let dataDir: string;
let demo: DemoSeedSummary;
let db: KioskDb;

/** Calls the route handlers the way SvelteKit would, for the parts they read. */
const routesFetch: typeof fetch = async (input, init) => {
	const request = new Request(new URL(String(input), 'http://localhost'), init);
	const url = new URL(request.url);
	const event = { request, url, getClientAddress: () => '127.0.0.1' } as unknown as RouteEvent;
	if (url.pathname === '/api/devices/enroll') return enrollRoute(event);
	if (url.pathname === '/api/sync/push') return pushRoute(event);
	return pullRoute(event);
};

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'credit-shop-device-'));
	// The routes open the database of DATA_DIR.
	process.env.DATA_DIR = dataDir;
	demo = await seedDemo(await getDatabase(dataDir));
});

afterAll(async () => {
	db?.close();
	await closeDatabase(dataDir);
	rmSync(dataDir, { recursive: true, force: true });
});

describe('device layer against the real server', () => {
	it('enrolls, pulls, redeems a real card, pushes once and sees its own effect pulled back', async () => {
		const server = await getDatabase(dataDir);
		const { code } = await mintEnrollmentCode(server, {
			communityId: demo.communityId,
			kind: 'kiosk'
		});
		const api = new ApiClient({ fetch: routesFetch });
		db = freshDb();
		expect((await enrollDevice(db, api, `CSENROLL:${code}`)).ok).toBe(true);
		const engine = new SyncEngine({ db, api, locks: null, connectivity: null, pullPageSize: 50 });
		expect(await engine.syncNow()).toBe('ok');
		expect(await db.residents.count()).toBe(demo.residents);
		expect(engine.getStatus().clockSkewMs).not.toBeNull();

		const community = await server
			.selectFrom('communities')
			.select('private_key')
			.where('id', '=', demo.communityId)
			.executeTakeFirstOrThrow();
		const privateKey = await importCommunityPrivateKey(community.private_key);
		const cardOf = (residentId: number, serial: number) =>
			residentCardText(privateKey, { communityId: demo.communityId, residentId, serial });

		expect(await lookupCard(db, await cardOf(demo.revokedCardResidentId, 1))).toEqual({
			ok: false,
			problem: 'revoked'
		});
		expect(await lookupCard(db, await cardOf(demo.reissuedCardResidentId, 1))).toEqual({
			ok: false,
			problem: 'revoked'
		});

		const residents = await db.residents.toArray();
		const rich = residents.find((r) => r.balance >= 60 && r.activeSerials.length > 0)!;
		const found = await lookupCard(db, await cardOf(rich.id, rich.activeSerials[0]!));
		expect(found).toMatchObject({ ok: true, available: rich.balance });
		const goods = (await db.items.toArray()).find(
			(i) => i.active && i.stockTracked && i.stock >= 2 && i.points <= 30
		)!;
		const outcome = await recordRedemption(db, {
			residentId: rich.id,
			cardSerial: rich.activeSerials[0]!,
			lines: [{ itemId: goods.id, quantity: 2, unitPoints: goods.points }],
			offline: engine.isOffline()
		});
		expect(outcome.ok).toBe(true);
		const after = rich.balance - 2 * goods.points;
		expect(await availableBalance(db, rich.id)).toBe(after);

		expect(await engine.syncNow()).toBe('ok');
		expect(await db.outbox.count()).toBe(0);
		expect((await db.redemptions.toArray())[0]).toMatchObject({ status: 'synced' });
		expect((await db.residents.get(rich.id))?.balance).toBe(after);
		expect((await db.items.get(goods.id))?.stock).toBe(goods.stock - 2);
		expect(await availableBalance(db, rich.id)).toBe(after);
		expect(await residentBalance(server, rich.id)).toBe(after);
	});
});
