import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { API_PATHS } from '../../../src/lib/protocol/api-paths';
import { freePort } from '../fixtures/own-server';
import { signTestCard } from '../fixtures/test-cards';
import type { EnrollResponse } from '../../../src/lib/protocol/devices';
import type { PullResponse, PushResponse } from '../../../src/lib/protocol/sync';

/*
 * The sync promise under attack, seeded and repeatable: simulated kiosks push their outboxes to a
 * real server process that is killed (SIGKILL) and restarted at random moments, with batches
 * dropped, sent twice, reordered and sent from two connections at once. Afterwards every event is
 * in the server's books exactly once, every balance the server hands out equals its ledger sum,
 * and every stock equals its movements.
 *
 * `ADVERSARIAL_KILLS` sets the number of kills (100 here; the bench runs 1,000) and
 * `ADVERSARIAL_SEED` the seed (a failure prints the seed to run it again).
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const KILLS = Number(process.env.ADVERSARIAL_KILLS || 100);
const SEED = Number(process.env.ADVERSARIAL_SEED || 20261206);
const KIOSKS = 3;

/** mulberry32: small, seeded, good enough to choose moves. */
function seededRandom(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		chance: (p: number) => next() < p,
		pick: <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!,
		uuid() {
			const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
			hex[12] = '4';
			hex[16] = ((Math.floor(next() * 4) + 8) as number).toString(16);
			const h = hex.join('');
			return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
		}
	};
}

/** The built server on its own data folder, started and killed at will. */
class KillableServer {
	#process: ChildProcess | null = null;
	constructor(
		readonly port: number,
		readonly dataDir: string
	) {}

	get baseURL() {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(): Promise<void> {
		const server = spawn(process.execPath, [join(ROOT, 'build', 'index.js')], {
			cwd: ROOT,
			env: {
				...process.env,
				PORT: String(this.port),
				HOST: '127.0.0.1',
				ORIGIN: this.baseURL,
				DATA_DIR: this.dataDir,
				BODY_SIZE_LIMIT: '2M',
				CREDIT_SHOP_DEMO: '1'
			},
			stdio: 'ignore'
		});
		this.#process = server;
		const deadline = Date.now() + 60_000;
		while (Date.now() < deadline) {
			if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode})`);
			try {
				const answer = await fetch(`${this.baseURL}/api/sync/pull?after=0`, {
					signal: AbortSignal.timeout(1000)
				});
				if (answer.status === 401) return;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
		throw new Error('the server did not come back');
	}

	kill(): Promise<void> {
		const server = this.#process;
		// A process ended by a signal keeps exitCode null: look at both.
		if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
		const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
		server.kill('SIGKILL');
		return exited;
	}
}

interface SimulatedKiosk {
	deviceId: string;
	token: string;
	nextSeq: number;
	/** Events not yet answered `applied` or `duplicate`. */
	outbox: Map<string, unknown>;
}

test(`events pushed through ${KILLS} server kills, replays, reordering and concurrency land exactly once`, async () => {
	// About a second a kill on a quiet machine, several on a loaded one.
	test.setTimeout(Math.max(15 * 60_000, KILLS * 5_000));
	const random = seededRandom(SEED);
	const dataDir = await mkdtemp(join(tmpdir(), 'credit-shop-adversarial-'));
	const server = new KillableServer(await freePort(), dataDir);
	try {
		await server.start();
		const api = (path: string, init: RequestInit = {}) =>
			fetch(`${server.baseURL}${path}`, { ...init, signal: AbortSignal.timeout(20_000) });

		// The demo community: its residents with cards, its items, its shopkeeper, read as a kiosk does.
		const file = join(dataDir, 'credit-shop.sqlite');
		const setup = new Database(file);
		const community = setup
			.prepare(`SELECT id, private_key AS privateKey FROM communities WHERE slug = 'xingfuli'`)
			.get() as { id: number; privateKey: string };
		const codes = Array.from({ length: KIOSKS }, (_, i) => String(90_000_000 + SEED + i).slice(-8));
		const now = new Date().toISOString();
		for (const code of codes) {
			setup
				.prepare(
					`INSERT INTO enrollment_codes (code, community_id, kind, created_at, expires_at)
					 VALUES (?, ?, 'kiosk', ?, ?)`
				)
				.run(code, community.id, now, new Date(Date.now() + 3600_000).toISOString());
		}
		const cardRows = setup
			.prepare(
				`SELECT resident_id AS residentId, serial FROM cards
				 WHERE kind = 'resident' AND revoked_at IS NULL AND community_id = ? ORDER BY resident_id LIMIT 40`
			)
			.all(community.id) as { residentId: number; serial: number }[];
		// Each redemption carries its card's text, signed by the community's key as a kiosk scans it.
		const cards = await Promise.all(
			cardRows.map(async (card) => ({
				...card,
				credential: await signTestCard(community.privateKey, {
					kind: 'resident',
					communityId: community.id,
					subjectId: card.residentId,
					serial: card.serial
				})
			}))
		);
		const items = setup
			.prepare(
				`SELECT id, points FROM items WHERE community_id = ? AND stock_tracked = 1 AND active = 1`
			)
			.all(community.id) as { id: number; points: number }[];
		const staff = setup
			.prepare(`SELECT id FROM staff_members WHERE community_id = ? LIMIT 1`)
			.get(community.id) as { id: number };
		setup.close();

		const kiosks: SimulatedKiosk[] = [];
		for (const code of codes) {
			const answer = await api(API_PATHS.enroll, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ code, kind: 'kiosk', name: '对抗测试' })
			});
			expect(answer.status).toBe(201);
			const enrollment = (await answer.json()) as EnrollResponse;
			kiosks.push({ ...enrollment, nextSeq: 1, outbox: new Map() });
		}
		const businessDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
			new Date()
		);
		const allEvents = new Map<string, unknown>();
		const makeEvent = (kiosk: SimulatedKiosk) => {
			const id = random.uuid();
			const common = {
				id,
				deviceId: kiosk.deviceId,
				deviceSeq: kiosk.nextSeq++,
				occurredAt: new Date().toISOString()
			};
			const item = random.pick(items);
			const event = random.chance(0.85)
				? {
						...common,
						type: 'redemption',
						payload: (() => {
							const card = random.pick(cards);
							const quantity = random.int(1, 2);
							return {
								residentId: card.residentId,
								cardSerial: card.serial,
								credential: card.credential,
								lines: [{ itemId: item.id, quantity, unitPoints: item.points }],
								totalPoints: quantity * item.points,
								// Offline: overdrafts are applied and flagged, never refused.
								offline: true,
								businessDate
							};
						})()
					}
				: {
						...common,
						type: 'stockReceipt',
						payload: {
							lines: [{ itemId: item.id, quantity: random.int(1, 20) }],
							staffId: staff.id,
							businessDate
						}
					};
			kiosk.outbox.set(id, event);
			allEvents.set(id, event);
		};

		const refused: unknown[] = [];
		/** Pushes some of a kiosk's outbox; answered events leave it. Failures leave it as it was. */
		const push = async (kiosk: SimulatedKiosk, events: unknown[]) => {
			try {
				const answer = await api(API_PATHS.push, {
					method: 'POST',
					headers: { 'content-type': 'application/json', authorization: `Bearer ${kiosk.token}` },
					body: JSON.stringify({ events, sentAt: new Date().toISOString() })
				});
				if (answer.status !== 200) return;
				const body = (await answer.json()) as PushResponse;
				for (const result of body.results) {
					if (result.status === 'rejected') refused.push(result);
					kiosk.outbox.delete(result.id);
				}
			} catch {
				// The server died under the request: the kiosk keeps its events and tries again.
			}
		};

		let kills = 0;
		while (kills < KILLS) {
			for (const kiosk of kiosks) {
				for (let i = random.int(0, 6); i > 0; i--) makeEvent(kiosk);
			}
			const sends: Promise<void>[] = [];
			for (const kiosk of kiosks) {
				const pending = [...kiosk.outbox.values()];
				// Drawn whatever the outbox holds, so the seed fixes the moves, not the timing.
				const dropped = random.chance(0.15);
				const twice = random.chance(0.3);
				if (pending.length === 0 || dropped) continue;
				// Reordered, a random slice of the outbox.
				const batch = pending
					.map((event) => ({ event, key: random.next() }))
					.sort((a, b) => a.key - b.key)
					.slice(0, random.int(1, Math.min(pending.length, 40)))
					.map(({ event }) => event);
				sends.push(push(kiosk, batch));
				// The same batch again, at once, from a second connection.
				if (twice) sends.push(push(kiosk, batch));
			}
			if (random.chance(0.7)) {
				await new Promise((resolve) => setTimeout(resolve, random.int(0, 40)));
				await server.kill();
				kills += 1;
				await Promise.all(sends);
				await server.start();
			} else {
				await Promise.all(sends);
			}
		}

		// Calm: every kiosk pushes until its outbox is empty.
		for (const kiosk of kiosks) {
			for (let round = 0; kiosk.outbox.size > 0; round++) {
				expect(
					round,
					`kiosk ${kiosk.deviceId} cannot empty its outbox (seed ${SEED})`
				).toBeLessThan(100);
				await push(kiosk, [...kiosk.outbox.values()].slice(0, 200));
			}
		}

		expect(refused, `refused events (seed ${SEED})`).toEqual([]);

		// What the server hands out, as a kiosk pulls it.
		const balances = new Map<number, number>();
		const stocks = new Map<number, number>();
		let cursor = 0;
		for (;;) {
			const answer = await api(API_PATHS.pull(cursor), {
				headers: { authorization: `Bearer ${kiosks[0]!.token}` }
			});
			const page = (await answer.json()) as PullResponse;
			for (const change of page.changes) {
				if (change.entity === 'resident') balances.set(change.data.id, change.data.balance);
				if (change.entity === 'item') stocks.set(change.data.id, change.data.stock);
			}
			cursor = page.cursor;
			if (!page.hasMore) break;
		}
		await server.kill();

		const books = new Database(file, { readonly: true });
		try {
			const received = books
				.prepare(
					`SELECT id, status FROM received_events WHERE device_id IN (${kiosks.map(() => '?').join(',')})`
				)
				.all(...kiosks.map((k) => k.deviceId)) as { id: string; status: string }[];
			expect(received.length, `seed ${SEED}`).toBe(allEvents.size);
			expect(new Set(received.map((r) => r.id))).toEqual(new Set(allEvents.keys()));
			expect(received.every((r) => r.status === 'applied')).toBe(true);
			const redemptionIds = [...allEvents.values()]
				.filter((e) => (e as { type: string }).type === 'redemption')
				.map((e) => (e as { id: string }).id);
			const perEvent = books.prepare(`SELECT count(*) AS n FROM ledger_entries WHERE event_id = ?`);
			for (const id of redemptionIds) {
				expect((perEvent.get(id) as { n: number }).n, `ledger entries of ${id}`).toBe(1);
			}
			const ledger = new Map(
				(
					books
						.prepare(
							`SELECT resident_id AS id, sum(points) AS total FROM ledger_entries GROUP BY resident_id`
						)
						.all() as { id: number; total: number }[]
				).map((row) => [row.id, row.total])
			);
			for (const [residentId, balance] of balances) {
				expect(balance, `resident ${residentId}`).toBe(ledger.get(residentId) ?? 0);
			}
			const movements = new Map(
				(
					books
						.prepare(
							`SELECT item_id AS id, sum(quantity) AS total FROM stock_movements GROUP BY item_id`
						)
						.all() as { id: number; total: number }[]
				).map((row) => [row.id, row.total])
			);
			for (const [itemId, stock] of stocks) {
				const tracked = items.some((item) => item.id === itemId);
				if (tracked) expect(stock, `item ${itemId}`).toBe(movements.get(itemId) ?? 0);
			}
			console.log(
				`adversarial sync: ${allEvents.size} events, ${kills} kills, seed ${SEED}: exactly once`
			);
		} finally {
			books.close();
		}
	} finally {
		await server.kill();
		await rm(dataDir, { recursive: true, force: true });
	}
});
