import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '$lib/terminal/api-client';
import { availableBalance, availableStock } from './balances';
import { getMeta, type KioskDb } from './local-db';
import { recordRedemption } from './redemption';
import {
	applyPullPage,
	SyncEngine,
	type ConnectivityEvents,
	type SyncEngineOptions,
	type SyncEvent,
	type SyncLocks,
	type SyncTimers
} from './sync-client';
import { FakeDeviceServer } from './testing/fake-device-server';
import {
	scannedCard,
	community,
	communityKeys,
	freshDb,
	item,
	resident,
	seedEnrolledKiosk
} from './testing/kiosk-fixtures';

class ManualTimers implements SyncTimers {
	pending = new Map<number, { callback: () => void; ms: number }>();
	#next = 1;
	setTimeout(callback: () => void, ms: number): number {
		this.pending.set(this.#next, { callback, ms });
		return this.#next++;
	}
	clearTimeout(handle: unknown): void {
		this.pending.delete(handle as number);
	}
	get delays(): number[] {
		return [...this.pending.values()].map((t) => t.ms);
	}
	fire(): void {
		const timers = [...this.pending.values()];
		this.pending.clear();
		for (const timer of timers) timer.callback();
	}
}

class FakeWindow implements ConnectivityEvents {
	listeners = new Map<string, Set<() => void>>();
	addEventListener(type: string, listener: () => void) {
		const set = this.listeners.get(type) ?? new Set();
		set.add(listener);
		this.listeners.set(type, set);
	}
	removeEventListener(type: string, listener: () => void) {
		this.listeners.get(type)?.delete(listener);
	}
	dispatch(type: string) {
		for (const listener of this.listeners.get(type) ?? []) listener();
	}
}

let db: KioskDb;
let engine: SyncEngine | undefined;

async function setup(options: Partial<SyncEngineOptions> = {}) {
	db = freshDb();
	const keys = await communityKeys();
	const server = new FakeDeviceServer(community(keys.publicKeyText));
	server.putResident(resident(1, { balance: 100 }));
	server.putResident(resident(2, { balance: 10 }));
	server.putItem(item(10, { points: 30, stock: 3 }));
	server.putItem(item(11, { points: 5, stock: 100 }));
	// Enrolled, nothing pulled yet.
	await seedEnrolledKiosk(db, { publicKey: keys.publicKeyText, lastPullAt: null });
	const timers = new ManualTimers();
	engine = new SyncEngine({
		db,
		api: new ApiClient({ fetch: server.fetch }),
		timers,
		locks: null,
		connectivity: null,
		browserOnline: () => true,
		random: () => 0.5,
		...options
	});
	return { server, timers, engine };
}

async function redeem(residentId: number, itemId: number, quantity: number, unitPoints: number) {
	return recordRedemption(db, {
		residentId,
		cardSerial: 1,
		credential: await scannedCard(db, residentId),
		lines: [{ itemId, quantity, unitPoints }],
		offline: false
	});
}

afterEach(() => {
	engine?.stop();
	engine = undefined;
	db?.close();
});

describe('sync engine', () => {
	it('pulls the community, residents and items, then pushes a redemption exactly once', async () => {
		const { server, engine } = await setup();
		expect(await engine.syncNow()).toBe('ok');
		expect(await db.residents.count()).toBe(2);
		expect(await getMeta(db, 'lastPullAt')).toBeTruthy();
		expect(engine.getStatus()).toMatchObject({ online: true, pendingCount: 0, lastError: null });

		const outcome = await redeem(1, 10, 2, 30);
		expect(outcome.ok).toBe(true);
		expect(await availableBalance(db, 1)).toBe(40);
		expect(await engine.syncNow()).toBe('ok');

		expect(server.ledger).toHaveLength(1);
		expect(await db.outbox.count()).toBe(0);
		expect((await db.redemptions.toArray())[0]).toMatchObject({ status: 'synced' });
		expect((await db.residents.get(1))?.balance).toBe(40);
		expect(await availableBalance(db, 1)).toBe(40);
		expect(await availableStock(db, 10)).toBe(1);
	});

	it('leaves the outbox rows as they were while the browser is offline', async () => {
		let online = true;
		const { server, engine } = await setup({ browserOnline: () => online });
		await engine.syncNow();
		await redeem(1, 11, 1, 5);
		await redeem(2, 11, 1, 5);
		online = false;
		server.offline = true;
		const before = await db.outbox.toArray();
		expect(await engine.syncNow()).toBe('failed');
		expect(await db.outbox.toArray()).toEqual(before);
		online = true;
		server.offline = false;
		expect(await engine.syncNow()).toBe('ok');
		expect(server.ledger).toHaveLength(2);
		expect(await db.outbox.count()).toBe(0);
	});

	it('counts a redemption once when the answer to a push was lost and the server says duplicate', async () => {
		const { server, engine } = await setup();
		await engine.syncNow();
		await redeem(1, 11, 4, 5);

		server.loseNextPushResponse = true;
		expect(await engine.syncNow()).toBe('failed');
		expect(server.ledger).toHaveLength(1);
		expect(await db.outbox.count()).toBe(1);
		expect((await db.outbox.toArray())[0]?.attempts).toBe(1);
		expect(await availableBalance(db, 1)).toBe(80);

		const results: SyncEvent[] = [];
		engine.on('applied', (event) => results.push(event));
		expect(await engine.syncNow()).toBe('ok');
		expect(results).toMatchObject([{ type: 'applied', duplicate: 1, applied: 0 }]);
		expect(server.ledger).toHaveLength(1);
		expect(await db.outbox.count()).toBe(0);
		expect((await db.residents.get(1))?.balance).toBe(80);
		expect(await availableBalance(db, 1)).toBe(80);
	});

	it('keeps a rejected event on the attention list and pushes the good ones of the batch', async () => {
		const { server, engine } = await setup();
		await engine.syncNow();
		await redeem(1, 11, 1, 5);
		await redeem(2, 11, 1, 5);
		// The office deleted resident 2 meanwhile: the server refuses that one event.
		server.residents.delete(2);

		expect(await engine.syncNow()).toBe('ok');
		expect(server.ledger.map((e) => e.residentId)).toEqual([1]);
		const attention = await db.attention.toArray();
		expect(attention).toMatchObject([
			{ reason: 'unknown_resident', event: { payload: { residentId: 2 } } }
		]);
		expect(await db.redemptions.where('status').equals('rejected').count()).toBe(1);
		expect(engine.getStatus()).toMatchObject({ pendingCount: 0, attentionCount: 1 });

		await engine.syncNow();
		expect(await db.attention.count()).toBe(1);
		expect(await availableBalance(db, 2)).toBe(10);
	});

	it('pushes in deviceSeq order and in batches no larger than the limits', async () => {
		const { server, engine } = await setup({ maxPushBytes: 1500 });
		await engine.syncNow();
		for (let i = 0; i < 5; i++) await redeem(1, 11, 1, 5);
		await engine.syncNow();
		expect(server.pushBatches.length).toBeGreaterThan(1);
		const pushed = server.pushBatches.flat();
		const bySeq = (await db.redemptions.orderBy('deviceSeq').toArray()).map((r) => r.eventId);
		expect(pushed).toEqual(bySeq);
	});

	it('applies pulled pages one by one with their cursor, and resumes after a failed page', async () => {
		const { server, engine } = await setup({ pullPageSize: 2 });
		for (let id = 3; id <= 7; id++) server.putResident(resident(id));
		server.failPullCalls.add(2);

		expect(await engine.syncNow()).toBe('failed');
		// Two pages of two changes (community, residents 1 and 2, item 10) made it, each with its
		// cursor; the third failed whole.
		expect(await getMeta(db, 'cursor')).toBe(4);
		expect(await db.residents.count()).toBe(2);
		expect(await db.items.count()).toBe(1);
		expect(await getMeta(db, 'lastPullAt')).toBeUndefined();
		expect(engine.getStatus().online).toBe(true);
		expect(engine.getStatus().lastError).toContain('服务器出错');

		expect(await engine.syncNow()).toBe('ok');
		expect(await getMeta(db, 'cursor')).toBe(server.seq);
		expect(await db.residents.count()).toBe(7);
		expect(await db.items.count()).toBe(2);
		expect(await getMeta(db, 'lastPullAt')).toBeTruthy();
	});

	it('asks for the next page while it writes the one it has', async () => {
		let pagesWritten = 0;
		const writtenWhenAsked: number[] = [];
		let serve: typeof fetch = () => Promise.reject(new TypeError('not set up'));
		const { server, engine } = await setup({
			pullPageSize: 2,
			api: new ApiClient({
				fetch: (input, init) => {
					if (String(input).includes('/api/sync/pull')) writtenWhenAsked.push(pagesWritten);
					return serve(input, init);
				}
			})
		});
		serve = server.fetch;
		for (let id = 3; id <= 7; id++) server.putResident(resident(id));
		engine.on('pulled', () => pagesWritten++);

		expect(await engine.syncNow()).toBe('ok');
		// Five pages (community, 7 residents, 2 items): page n + 1 is asked for before page n is
		// written, and every page is still written in order with its cursor.
		expect(writtenWhenAsked).toEqual([0, 0, 1, 2, 3]);
		expect(await getMeta(db, 'cursor')).toBe(server.seq);
		expect(await db.residents.count()).toBe(7);
		expect(await db.items.count()).toBe(2);
	});

	it('still pulls when the server refuses pushes, so revocations keep arriving', async () => {
		const { server, engine } = await setup();
		await engine.syncNow();
		await redeem(1, 11, 1, 5);
		server.failPushStatus = 500;
		server.putResident(resident(1, { balance: 100, revokedSerials: [1], activeSerials: [] }));
		expect(await engine.syncNow()).toBe('failed');
		expect((await db.residents.get(1))?.revokedSerials).toEqual([1]);
		expect(await db.outbox.count()).toBe(1);
		expect(engine.getStatus().lastError).toContain('服务器出错');
	});

	it('marks the kiosk as needing enrollment on 401 and stops retrying', async () => {
		const { server, timers, engine } = await setup();
		server.token = 'another';
		engine.start();
		await engine.syncNow();
		expect(engine.getStatus()).toMatchObject({ needsEnrollment: true, online: true });
		expect(await getMeta(db, 'needsEnrollment')).toBe(true);
		expect(timers.pending.size).toBe(0);
	});

	it('reports offline, keeps the outbox, and backs off with jitter', async () => {
		const { server, timers, engine } = await setup();
		const errors: SyncEvent[] = [];
		engine.on('error', (event) => errors.push(event));
		server.offline = true;
		engine.start();
		await engine.syncNow();
		expect(engine.getStatus()).toMatchObject({ online: false, syncing: false });
		expect(engine.getStatus().lastError).toContain('连不上服务器');
		expect(errors[0]).toMatchObject({ type: 'error', failure: { kind: 'network' } });
		expect(engine.isOffline()).toBe(true);
		// random() = 0.5: three quarters of 2 s, then of 4 s.
		expect(timers.delays).toEqual([1500]);
		timers.fire();
		await engine.syncNow();
		expect(timers.delays).toEqual([3000]);

		server.offline = false;
		timers.fire();
		await engine.syncNow();
		expect(engine.getStatus()).toMatchObject({ online: true, lastError: null });
		expect(timers.delays).toEqual([30_000]);
	});

	it('syncs at once when the browser comes back online', async () => {
		const win = new FakeWindow();
		const { server, engine } = await setup({ connectivity: win });
		server.offline = true;
		engine.start();
		await engine.syncNow();
		server.offline = false;
		const started: SyncEvent[] = [];
		engine.on('start', (event) => started.push(event));
		win.dispatch('online');
		await engine.syncNow();
		expect(started.length).toBeGreaterThanOrEqual(1);
		expect(engine.getStatus().online).toBe(true);
		win.dispatch('offline');
		expect(engine.getStatus().online).toBe(false);
	});

	it('runs one pass at a time under the Web Lock and folds requests made meanwhile into one more', async () => {
		let held = 0;
		let maxHeld = 0;
		const names: string[] = [];
		const locks: SyncLocks = {
			async request(name, callback) {
				names.push(name);
				held += 1;
				maxHeld = Math.max(maxHeld, held);
				try {
					return await callback();
				} finally {
					held -= 1;
				}
			}
		};
		const { server, engine } = await setup({ locks });
		await Promise.all([engine.syncNow(), engine.syncNow(), engine.syncNow()]);
		expect(maxHeld).toBe(1);
		expect(names).toEqual(['credit-shop-sync', 'credit-shop-sync']);
		expect(server.pullCalls).toBe(2);
	});

	it('works without Web Locks, as in Node where navigator.locks is absent', async () => {
		const { engine } = await setup({ locks: undefined });
		expect(globalThis.navigator?.locks).toBeUndefined();
		expect(await engine.syncNow()).toBe('ok');
	});

	it('tells subscribers about every status change', async () => {
		const { engine } = await setup();
		const seen: boolean[] = [];
		const unsubscribe = engine.subscribe((status) => seen.push(status.syncing));
		await engine.syncNow();
		unsubscribe();
		expect(seen).toContain(true);
		expect(seen.at(-1)).toBe(false);
	});
});

describe('the device name in a pull', () => {
	it('takes the name the office gave this kiosk, so the reports it prints carry it', async () => {
		const local = freshDb();
		const keys = await communityKeys();
		await seedEnrolledKiosk(local, { publicKey: keys.publicKeyText, lastPullAt: null });
		const page = { changes: [], cursor: 0, hasMore: false, serverTime: new Date().toISOString() };
		await applyPullPage(local, { ...page, deviceName: '北门柜台' }, new Date().toISOString());
		expect((await getMeta(local, 'device'))?.name).toBe('北门柜台');
		// A server that says nothing about the name leaves it as it is.
		await applyPullPage(local, page, new Date().toISOString());
		expect((await getMeta(local, 'device'))?.name).toBe('北门柜台');
		local.close();
	});
});
