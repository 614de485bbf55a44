/**
 * A shop evening made offline on the kiosk, synced later against the real server routes (in
 * process, on a temporary SQLite folder): the server's stock and ledger must match the report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDatabase } from '$lib/server/db/connection';
import { mintEnrollmentCode } from '$lib/server/devices/enrollment';
import {
	importCommunityPrivateKey,
	residentCardText,
	staffCardText
} from '$lib/server/keys/community-keys';
import { itemStocks, residentBalance } from '$lib/server/ledger/balances';
import { DEMO_STAFF } from '$lib/server/seed/demo-shop';
import { ApiClient } from '$lib/terminal/api-client';
import { availableBalance } from '../balances';
import { enrollKiosk } from '../kiosk-enrollment';
import type { KioskDb } from '../local-db';
import { recordRedemption } from '../redemption';
import { SyncEngine } from '../sync-client';
import { startInProcessServer, type InProcessServer } from '../testing/in-process-server';
import { freshDb } from '../testing/kiosk-fixtures';
import { closeDay, openClosing } from './closing';
import { checkStaffPin, findStaffByCredential } from './staff';
import { recordStockLoss, recordStockReceipt, stockOnHand } from './stock';
import { voidRedemption } from './voids';

let server: InProcessServer;
let db: KioskDb;

beforeAll(async () => {
	server = await startInProcessServer('credit-shop-evening-');
});

afterAll(async () => {
	db?.close();
	await server.dispose();
});

describe('a shop evening offline, synced later', () => {
	it('ends with the server’s stock and ledger matching the day report', async () => {
		const { demo } = server;
		const serverDb = await getDatabase(server.dataDir);
		const { code } = await mintEnrollmentCode(serverDb, {
			communityId: demo.communityId,
			kind: 'kiosk'
		});
		const api = new ApiClient({ fetch: server.fetch });
		db = freshDb();
		expect((await enrollKiosk(db, api, `CSENROLL:${code}`)).ok).toBe(true);
		const engine = new SyncEngine({ db, api, locks: null, connectivity: null });
		expect(await engine.syncNow()).toBe('ok');

		// The shopkeeper's real card and PIN, as printed on the demo sheet.
		const communities = await serverDb
			.selectFrom('communities')
			.select(['id', 'private_key'])
			.execute();
		const keyOf = async (id: number) =>
			importCommunityPrivateKey(communities.find((c) => c.id === id)!.private_key);
		const key = await keyOf(demo.communityId);
		const keeper = await serverDb
			.selectFrom('office_accounts')
			.select('id')
			.where('username', '=', DEMO_STAFF.shopkeeper.username)
			.executeTakeFirstOrThrow();
		const card = await staffCardText(key, {
			communityId: demo.communityId,
			staffId: keeper.id,
			serial: 1
		});
		server.offline = true;
		const found = await findStaffByCredential(db, card);
		expect(found).toMatchObject({ ok: true, staff: { name: '店员老陈' } });
		expect(await checkStaffPin(db, keeper.id, DEMO_STAFF.shopkeeper.pin)).toMatchObject({
			ok: true
		});
		// A staff card of the other community and a resident card do not open shop mode.
		const foreignStaff = await serverDb
			.selectFrom('staff_members')
			.select('id')
			.where('community_id', '=', demo.foreignCommunityId)
			.executeTakeFirstOrThrow();
		const foreignCard = await staffCardText(await keyOf(demo.foreignCommunityId), {
			communityId: demo.foreignCommunityId,
			staffId: foreignStaff.id,
			serial: 1
		});
		expect(await findStaffByCredential(db, foreignCard)).toEqual({
			ok: false,
			problem: 'foreign'
		});
		const residents = await db.residents.toArray();
		const rich = residents.filter((r) => r.balance >= 60 && r.activeSerials.length > 0);
		const [alice, bob] = [rich[0]!, rich[1]!];
		expect(
			await findStaffByCredential(
				db,
				await residentCardText(key, {
					communityId: demo.communityId,
					residentId: alice.id,
					serial: alice.activeSerials[0]!
				})
			)
		).toEqual({ ok: false, problem: 'not_staff' });

		// The evening, all offline: two redemptions, one voided, a delivery, a loss.
		const goods = (await db.items.toArray()).filter(
			(i) => i.active && i.stockTracked && i.stock >= 5 && i.points <= 25
		);
		const [rice, oil, soap] = [goods[0]!, goods[1]!, goods[2]!];
		const redeem = async (residentId: number, serial: number, itemId: number, points: number) =>
			recordRedemption(db, {
				residentId,
				cardSerial: serial,
				credential: await residentCardText(key, {
					communityId: demo.communityId,
					residentId,
					serial
				}),
				lines: [{ itemId, quantity: 1, unitPoints: points }],
				offline: true
			});
		const kept = await redeem(alice.id, alice.activeSerials[0]!, rice.id, rice.points);
		const mistaken = await redeem(bob.id, bob.activeSerials[0]!, oil.id, oil.points);
		if (!kept.ok || !mistaken.ok) throw new Error('redemption refused');
		const voided = await voidRedemption(db, {
			staffId: keeper.id,
			redemptionId: mistaken.redemption.eventId,
			reason: '居民换了别的'
		});
		expect(voided.ok).toBe(true);
		expect(
			(
				await recordStockReceipt(db, {
					staffId: keeper.id,
					lines: [{ itemId: rice.id, quantity: 10 }]
				})
			).ok
		).toBe(true);
		expect(
			(
				await recordStockLoss(db, {
					staffId: keeper.id,
					itemId: soap.id,
					quantity: 1,
					reason: 'damaged'
				})
			).ok
		).toBe(true);

		// The count: one difference (an oil bottle missing), everything else as expected.
		const view = (await openClosing(db))!;
		const counts = view.lines.map((line) => ({
			itemId: line.itemId,
			expected: line.expected,
			counted: line.itemId === oil.id ? line.expected - 1 : line.expected,
			...(line.itemId === oil.id ? { reason: '少了一瓶' } : {})
		}));
		const closed = await closeDay(db, { staffId: keeper.id, counts });
		expect(closed.ok).toBe(true);
		if (!closed.ok) return;
		const { report } = closed;
		expect(report.deviceName).toMatch(/^柜台终端 /);
		expect(report.redemptions).toEqual({ count: 2, points: rice.points + oil.points });
		expect(report.voids).toEqual({ count: 1, points: oil.points });
		expect(report.pendingEvents).toBe(5);
		expect(report.items.find((l) => l.itemId === rice.id)).toMatchObject({
			opening: rice.stock,
			received: 10,
			redeemed: 1,
			expected: rice.stock + 9,
			counted: rice.stock + 9
		});
		expect(report.items.find((l) => l.itemId === oil.id)).toMatchObject({
			redeemed: 1,
			voided: 1,
			expected: oil.stock,
			counted: oil.stock - 1,
			difference: -1
		});
		expect(report.items.find((l) => l.itemId === soap.id)).toMatchObject({
			lost: 1,
			expected: soap.stock - 1
		});

		// Online again: everything goes up once and comes back.
		server.offline = false;
		expect(await engine.syncNow()).toBe('ok');
		expect(await db.outbox.count()).toBe(0);
		expect(await db.attention.count()).toBe(0);

		const stocks = await itemStocks(
			serverDb,
			report.items.map((line) => line.itemId)
		);
		for (const line of report.items) expect(stocks.get(line.itemId)).toBe(line.counted);
		expect(await residentBalance(serverDb, alice.id)).toBe(alice.balance - rice.points);
		expect(await residentBalance(serverDb, bob.id)).toBe(bob.balance);
		const reversal = await serverDb
			.selectFrom('ledger_entries')
			.selectAll()
			.where('reason', '=', 'reversal')
			.where('resident_id', '=', bob.id)
			.executeTakeFirstOrThrow();
		expect(reversal).toMatchObject({ points: oil.points, note: '居民换了别的' });
		const stored = await serverDb
			.selectFrom('day_reports')
			.select('report')
			.where('event_id', '=', closed.event.id)
			.executeTakeFirstOrThrow();
		expect(JSON.parse(stored.report)).toEqual(report);

		// The kiosk's figures now come from the server alone, and agree.
		const onHand = await stockOnHand(db);
		for (const line of report.items) expect(onHand.get(line.itemId)).toBe(line.counted);
		expect(await availableBalance(db, bob.id)).toBe(bob.balance);

		// The closing pushed again (a retry after a lost answer) is a duplicate and changes nothing.
		const device = (await db.meta.get('device'))!.value as { token: string };
		const again = await api.push(device.token, {
			events: [closed.event],
			sentAt: new Date().toISOString()
		});
		expect(again.results[0]).toMatchObject({ status: 'duplicate' });
		const after = await itemStocks(
			serverDb,
			report.items.map((line) => line.itemId)
		);
		expect(after).toEqual(stocks);
	});
});
