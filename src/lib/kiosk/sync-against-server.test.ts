/**
 * The device layer against the real server routes (in process, on a temporary SQLite folder):
 * enroll with a minted code, pull the demo community, look a real card up, redeem, push, pull.
 * A contract check between the two sides; each side has its own detailed tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDatabase } from '$lib/server/db/connection';
import { mintEnrollmentCode } from '$lib/server/devices/enrollment';
import { residentCredential } from '$lib/server/testing/fixtures';
import { withFullDisk } from '$lib/server/testing/full-disk';
import { importCommunityPrivateKey, residentCardText } from '$lib/server/keys/community-keys';
import { residentBalance } from '$lib/server/ledger/balances';
import type { DemoSeedSummary } from '$lib/server/seed/demo';
import { ApiClient } from '$lib/terminal/api-client';
import { availableBalance } from './balances';
import { lookupCard } from './card-lookup';
import { enrollKiosk } from './kiosk-enrollment';
import type { KioskDb } from './local-db';
import { recordRedemption } from './redemption';
import { SyncEngine } from './sync-client';
import { shopAttention } from './shop/attention';
import { rejectReasonText } from '$lib/kiosk/shop/shop-texts';
import { startInProcessServer, type InProcessServer } from './testing/in-process-server';
import { freshDb } from './testing/kiosk-fixtures';

let server: InProcessServer;
let dataDir: string;
let demo: DemoSeedSummary;
let db: KioskDb;
let routesFetch: typeof fetch;

beforeAll(async () => {
	server = await startInProcessServer('credit-shop-device-');
	({ dataDir, demo } = server);
	routesFetch = server.fetch;
});

afterAll(async () => {
	db?.close();
	await server.dispose();
});

/** A fresh kiosk database enrolled with a code minted by the server, and its sync engine. */
async function enrolledKiosk(kiosk: KioskDb, pullPageSize?: number): Promise<SyncEngine> {
	const { code } = await mintEnrollmentCode(await getDatabase(dataDir), {
		communityId: demo.communityId,
		kind: 'kiosk'
	});
	const api = new ApiClient({ fetch: routesFetch });
	expect((await enrollKiosk(kiosk, api, `CSENROLL:${code}`)).ok).toBe(true);
	return new SyncEngine({ db: kiosk, api, locks: null, connectivity: null, pullPageSize });
}

describe('device layer against the real server', () => {
	it('enrolls, pulls, redeems a real card, pushes once and sees its own effect pulled back', async () => {
		const server = await getDatabase(dataDir);
		db = freshDb();
		const engine = await enrolledKiosk(db, 50);
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
			credential: await cardOf(rich.id, rich.activeSerials[0]!),
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

	it('keeps redemptions in the outbox while the server’s disk is full, says so, and pushes them once when room is back', async () => {
		const server = await getDatabase(dataDir);
		const kiosk = freshDb();
		try {
			const engine = await enrolledKiosk(kiosk);
			expect(await engine.syncNow()).toBe('ok');
			const service = (await kiosk.items.toArray()).find((i) => i.active && !i.stockTracked)!;
			const residents = (await kiosk.residents.toArray()).filter(
				(r) => r.balance >= service.points && r.activeSerials.length > 0
			);
			const redeemed = residents.slice(0, 40);
			for (const resident of redeemed) {
				const outcome = await recordRedemption(kiosk, {
					residentId: resident.id,
					cardSerial: resident.activeSerials[0]!,
					credential: await residentCredential(
						server,
						demo.communityId,
						resident.id,
						resident.activeSerials[0]!
					),
					lines: [{ itemId: service.id, quantity: 1, unitPoints: service.points }],
					offline: false
				});
				expect(outcome.ok).toBe(true);
			}
			const balancesBefore = await Promise.all(
				redeemed.map((resident) => residentBalance(server, resident.id))
			);

			await withFullDisk(server, async () => {
				expect(await engine.syncNow()).toBe('failed');
				expect(engine.getStatus().lastError).toContain('存储空间已满');
				expect(await kiosk.outbox.count()).toBe(redeemed.length);
				expect(await kiosk.attention.count()).toBe(0);
			});

			expect(await engine.syncNow()).toBe('ok');
			expect(await kiosk.outbox.count()).toBe(0);
			const balancesAfter = await Promise.all(
				redeemed.map((resident) => residentBalance(server, resident.id))
			);
			expect(balancesAfter).toEqual(balancesBefore.map((balance) => balance - service.points));
		} finally {
			kiosk.close();
		}
	});

	it('puts a redemption the server refuses for its card on the attention list, in Chinese, and never pushes it again', async () => {
		const server = await getDatabase(dataDir);
		const kiosk = freshDb();
		try {
			const engine = await enrolledKiosk(kiosk);
			expect(await engine.syncNow()).toBe('ok');
			const service = (await kiosk.items.toArray()).find((i) => i.active && !i.stockTracked)!;
			const [spender, cardOwner] = (await kiosk.residents.toArray()).filter(
				(r) => r.balance >= service.points && r.activeSerials.length > 0
			);
			const before = await residentBalance(server, spender!.id);
			// A stolen token with someone else's genuine card: the server believes the card.
			const outcome = await recordRedemption(kiosk, {
				residentId: spender!.id,
				cardSerial: spender!.activeSerials[0]!,
				credential: await residentCredential(
					server,
					demo.communityId,
					cardOwner!.id,
					cardOwner!.activeSerials[0]!
				),
				lines: [{ itemId: service.id, quantity: 1, unitPoints: service.points }],
				offline: false
			});
			expect(outcome.ok).toBe(true);

			expect(await engine.syncNow()).toBe('ok');
			expect(await kiosk.outbox.count()).toBe(0);
			// What shop mode's 需要注意 lists for the staff.
			const { rejected } = await shopAttention(kiosk);
			expect(rejected).toMatchObject([{ reason: 'card_mismatch' }]);
			expect(rejectReasonText(rejected[0]!.reason, rejected[0]!.message)).toContain(
				'不是这位居民的'
			);
			expect(await kiosk.redemptions.where('status').equals('rejected').count()).toBe(1);
			expect(await availableBalance(kiosk, spender!.id)).toBe(spender!.balance);

			expect(await engine.syncNow()).toBe('ok');
			expect(await kiosk.attention.count()).toBe(1);
			expect(await residentBalance(server, spender!.id)).toBe(before);
		} finally {
			kiosk.close();
		}
	});
});
