/**
 * Kiosk figures measured in real Chromium (see bench/run.js for the whole set):
 *   1. QR first visible in the camera stream → resident panel painted, over ≥ 30 scans
 *   2. offline redemption: confirm tap → success painted (and the UI's commit marks), on a fresh
 *      kiosk and on one holding 1,000 pending redemptions of its own
 *   3. cold start with the network off → attract screen painted
 *   5. 100,000 residents: the kiosk's first pull over HTTP, and wedge scan → resident painted
 * Results go to the JSON file named by BENCH_BROWSER_JSON.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, FAKE_MEDIA_ARGS, requireChromium } from '../../scripts/find-chromium.js';
import { installFakeCamera, showToCamera } from '../../tests/e2e/fixtures/fake-camera';
import { KioskPage } from '../../tests/e2e/kiosk/kiosk-page';
import { percentile, readJson, requiredEnv, writeJson } from '../tasks/bench-io.js';
import { installPaintProbe, waitForPaint } from './paint-probe.js';

const prepared = readJson(requiredEnv('BENCH_PREPARED_JSON'));
const resultsPath = requiredEnv('BENCH_BROWSER_JSON');
const SCANS = Number(process.env.BENCH_SCANS || 40);
const REDEMPTIONS = Number(process.env.BENCH_REDEMPTIONS || 30);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS || 5);
/** Pending redemptions of its own on the second kiosk of figure 2 (three busy days offline). */
const PENDING_BACKLOG = Number(process.env.BENCH_PENDING_BACKLOG || 1000);

/**
 * Adds one figure to the results file at once: a failed figure must not lose the others (a
 * failing test restarts the worker, and module state with it).
 * @param {string} key
 * @param {unknown} value
 */
function record(key, value) {
	const results = existsSync(resultsPath) ? readJson(resultsPath) : {};
	results[key] = value;
	writeJson(resultsPath, results);
}
/**
 * Each figure enrolls its own kiosk with its own prepared code, chosen by figure so that a
 * worker restarted after a failure does not reuse a spent code.
 * @param {number} figure
 */
function demoCode(figure) {
	const code = prepared.demoCodes[figure];
	if (!code) throw new Error('no prepared enrollment code');
	return code;
}

/** @param {number[]} values */
function summary(values) {
	return {
		n: values.length,
		p50: percentile(values, 0.5),
		p95: percentile(values, 0.95),
		max: Math.max(...values),
		// In the order taken, to tell a slow first one from a slow tail.
		samples: values.map((value) => Math.round(value * 10) / 10)
	};
}

test('1. camera: QR visible → resident panel painted', async ({ page }) => {
	const cards = prepared.demoCards;
	await installFakeCamera(page, null);
	await page.addInitScript(installPaintProbe);
	const kiosk = new KioskPage(page);
	await kiosk.open();
	await kiosk.enroll(demoCode(1));
	await kiosk.waitForSynced();
	await expect(kiosk.scanPreview).toBeVisible();

	const latencies = [];
	const fromMarks = [];
	// One scan first to load the decoder (the kiosk preloads it at start; this waits for it).
	for (let i = 0; i <= SCANS; i++) {
		const card = cards[i % cards.length];
		await showToCamera(page, null);
		if (await kiosk.residentPanel.isVisible()) await kiosk.exit();
		await page.waitForTimeout(150);
		const shownAt = await showToCamera(page, card.credential);
		const { painted, mark } = await waitForPaint(
			page,
			'resident-panel',
			shownAt,
			'resident-painted'
		);
		if (i === 0) continue;
		latencies.push(painted - shownAt);
		if (mark !== null) fromMarks.push(mark - shownAt);
	}
	await showToCamera(page, null);
	record('cameraScan', {
		...summary(latencies),
		uiMarks: fromMarks.length > 0 ? summary(fromMarks) : null,
		note: 'canvas camera (captureStream); from the frame that first shows the QR to the next frame after the resident panel entered the DOM'
	});
});

/**
 * Seeds `count` pending redemptions into this kiosk's IndexedDB, as the kiosk's own
 * recordRedemption writes them (src/lib/kiosk/redemption.ts): a redemption record with its
 * `pendingItemIds`, an outbox row carrying the event, and the deviceSeq counter, all in one
 * transaction. They spread over the three business days before today (a kiosk offline through
 * three busy days), over the residents and items the kiosk holds, and leave every resident and
 * item enough points and stock for the measured redemptions. Runs in the page; the caller
 * reloads it so the app reads the new rows. Each event carries its resident's signed card text
 * (`cards`: the prepared demo cards), as the server checks it.
 * @param {{ count: number, dbName: string, cards: { residentId: number, serial: number, credential: string }[] }} options
 */
function seedPendingRedemptions({ count, dbName, cards }) {
	const request = (r) =>
		new Promise((resolve, reject) => {
			r.onsuccess = () => resolve(r.result);
			r.onerror = () => reject(r.error);
		});
	const uuidv7At = (ms) => {
		const bytes = crypto.getRandomValues(new Uint8Array(16));
		for (let i = 0; i < 6; i++) bytes[i] = Math.floor(ms / 2 ** (8 * (5 - i))) & 0xff;
		bytes[6] = 0x70 | (bytes[6] & 0x0f);
		bytes[8] = 0x80 | (bytes[8] & 0x3f);
		const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
	};
	return (async () => {
		const db = await request(indexedDB.open(dbName));
		try {
			const read = db.transaction(['meta', 'residents', 'items'], 'readonly');
			const [metaRows, residents, items] = await Promise.all([
				request(read.objectStore('meta').getAll()),
				request(read.objectStore('residents').getAll()),
				request(read.objectStore('items').getAll())
			]);
			const meta = Object.fromEntries(metaRows.map((row) => [row.key, row.value]));
			const timeZone = meta.community.timeZone;
			const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone });
			// Keep 30 points for each resident and 40 % of each item's stock for the measured taps.
			const cardOf = new Map(cards.map((card) => [card.residentId, card]));
			const budget = new Map(
				residents
					.filter((r) => r.active !== false && cardOf.has(r.id))
					.map((r) => [r.id, r.balance - 30])
			);
			const stockLeft = new Map(
				items.filter((i) => i.stockTracked).map((i) => [i.id, Math.floor(i.stock * 0.6)])
			);
			const sellable = items
				.filter((i) => i.active && (!i.stockTracked || i.stock > 0))
				.sort((a, b) => a.points - b.points);
			const payers = residents.filter((r) => budget.has(r.id));
			const now = Date.now();
			const span = 3 * 86_400_000;
			const firstAt = now - span - 86_400_000;
			let deviceSeq = meta.deviceSeq ?? 0;
			const records = [];
			const outbox = [];
			for (let i = 0, tries = 0; records.length < count; i++, tries++) {
				if (tries > count * 50) throw new Error(`only ${records.length} redemptions fit`);
				const resident = payers[i % payers.length];
				const item = sellable[(i * 7) % Math.min(sellable.length, 12)];
				if (budget.get(resident.id) < item.points) continue;
				if (item.stockTracked && (stockLeft.get(item.id) ?? 0) < 1) continue;
				budget.set(resident.id, budget.get(resident.id) - item.points);
				if (item.stockTracked) stockLeft.set(item.id, stockLeft.get(item.id) - 1);
				const at = firstAt + Math.floor((records.length / count) * span);
				const occurredAt = new Date(at).toISOString();
				const businessDate = dayOf.format(new Date(at));
				const lines = [{ itemId: item.id, quantity: 1, unitPoints: item.points }];
				const { serial: cardSerial, credential } = cardOf.get(resident.id);
				deviceSeq += 1;
				const event = {
					id: uuidv7At(at),
					deviceId: meta.device.deviceId,
					deviceSeq,
					occurredAt,
					type: 'redemption',
					payload: {
						residentId: resident.id,
						cardSerial,
						credential,
						lines,
						totalPoints: item.points,
						offline: true,
						businessDate
					}
				};
				records.push({
					eventId: event.id,
					deviceSeq,
					residentId: resident.id,
					cardSerial,
					lines: lines.map((line) => ({ ...line, name: item.name })),
					pendingItemIds: [item.id],
					totalPoints: item.points,
					occurredAt,
					businessDate,
					offline: true,
					status: 'pending',
					ackSeq: null,
					flagged: false
				});
				outbox.push({
					eventId: event.id,
					deviceSeq,
					event,
					createdAt: occurredAt,
					attempts: 0,
					lastError: null
				});
			}
			const write = db.transaction(['meta', 'redemptions', 'outbox'], 'readwrite');
			for (const record of records) write.objectStore('redemptions').add(record);
			for (const row of outbox) write.objectStore('outbox').add(row);
			write.objectStore('meta').put({ key: 'deviceSeq', value: deviceSeq });
			await new Promise((resolve, reject) => {
				write.oncomplete = resolve;
				write.onerror = () => reject(write.error);
				write.onabort = () => reject(write.error);
			});
			return {
				seeded: records.length,
				days: [...new Set(records.map((r) => r.businessDate))],
				residents: new Set(records.map((r) => r.residentId)).size,
				items: new Set(records.map((r) => r.pendingItemIds[0])).size
			};
		} finally {
			db.close();
		}
	})();
}

/**
 * What the backlog costs each suspect read or write on this machine, straight on IndexedDB in
 * the page (median of 5, ms): all pending redemptions (what the catalogue's stock on hand reads
 * per scan), one resident's pending ones (the card lookup and the tap, by [residentId+status]),
 * and a sync pass's first batch of 500 outbox rows read, then rewritten with one more attempt
 * in a strict transaction (what each failed push did before it skipped that while offline).
 * @param {string} dbName
 */
function timeBacklogReads(dbName) {
	const request = (r) =>
		new Promise((resolve, reject) => {
			r.onsuccess = () => resolve(r.result);
			r.onerror = () => reject(r.error);
		});
	const done = (t) =>
		new Promise((resolve, reject) => {
			t.oncomplete = resolve;
			t.onerror = () => reject(t.error);
			t.onabort = () => reject(t.error);
		});
	const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	const timed = async (run) => {
		const ms = [];
		for (let i = 0; i < 5; i++) {
			const started = performance.now();
			await run();
			ms.push(performance.now() - started);
		}
		return Math.round(median(ms) * 10) / 10;
	};
	return (async () => {
		const db = await request(indexedDB.open(dbName));
		try {
			const read = (store) => db.transaction(store, 'readonly').objectStore(store);
			const pending = await request(read('redemptions').index('status').getAll('pending'));
			const residentId = pending[0].residentId;
			return {
				pending: pending.length,
				allPendingMs: await timed(() =>
					request(read('redemptions').index('status').getAll('pending'))
				),
				residentPendingMs: await timed(() =>
					request(read('redemptions').index('[residentId+status]').getAll([residentId, 'pending']))
				),
				outboxBatchReadMs: await timed(() =>
					request(read('outbox').index('deviceSeq').getAll(null, 500))
				),
				outboxBatchRewriteMs: await timed(async () => {
					const write = db.transaction('outbox', 'readwrite', { durability: 'strict' });
					const store = write.objectStore('outbox');
					const rows = await request(store.index('deviceSeq').getAll(null, 500));
					for (const row of rows) store.put({ ...row, attempts: row.attempts + 1 });
					await done(write);
				})
			};
		} finally {
			db.close();
		}
	})();
}

/** How many of this kiosk's redemptions the server refused (they would show in shop mode). */
function countRefused(dbName) {
	return new Promise((resolve, reject) => {
		const open = indexedDB.open(dbName);
		open.onerror = () => reject(open.error);
		open.onsuccess = () => {
			const db = open.result;
			const read = db.transaction(['attention', 'redemptions'], 'readonly');
			const attention = read.objectStore('attention').count();
			const rejected = read.objectStore('redemptions').index('status').count('rejected');
			read.oncomplete = () => {
				db.close();
				resolve({ attention: attention.result, rejected: rejected.result });
			};
			read.onerror = () => reject(read.error);
		};
	});
}

/**
 * With BENCH_PROFILE set, the page's main thread is profiled over the measured redemptions and
 * the functions taking the most time are printed: to find what a slow figure waits for.
 * @param {import('@playwright/test').Page} page
 */
async function startProfile(page) {
	const session = await page.context().newCDPSession(page);
	await session.send('Profiler.enable');
	await session.send('Profiler.start');
	return session;
}

/**
 * Prints the 40 functions with the most self time (idle and the camera's decoding included).
 * @param {import('@playwright/test').CDPSession} session
 */
async function printProfile(session) {
	const { profile } = await session.send('Profiler.stop');
	const sampleMs = (profile.endTime - profile.startTime) / 1000 / profile.samples.length;
	const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
	const selfMs = new Map();
	for (const id of profile.samples) {
		const frame = nodes.get(id).callFrame;
		const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').at(-1)}:${frame.lineNumber}`;
		selfMs.set(name, (selfMs.get(name) ?? 0) + sampleMs);
	}
	console.log('bench: main-thread profile, self time');
	for (const [name, ms] of [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
		console.log(`  ${Math.round(ms)} ms  ${name}`);
	}
}

/**
 * Offline redemptions at the counter, one after another for the richest residents: wedge scan
 * (its Enter) → resident panel painted, confirm tap → success screen painted (the probe), the
 * UI's marks redeem-start → redeem-committed, and each whole round as the bench drives it.
 * @param {import('@playwright/test').Page} page
 * @param {KioskPage} kiosk
 */
async function measureRedemptions(page, kiosk) {
	const cards = prepared.demoCards;
	const tapToPainted = [];
	const commits = [];
	const scanToPainted = [];
	const roundMs = [];
	let residentIndex = 0;
	const profiling = process.env.BENCH_PROFILE ? await startProfile(page) : null;
	while (tapToPainted.length < REDEMPTIONS && residentIndex < cards.length) {
		const card = cards[residentIndex++];
		const roundStarted = Date.now();
		const beforeScan = await page.evaluate(() => performance.now());
		await kiosk.scanByWedge(card.credential);
		const { painted: residentPainted } = await waitForPaint(page, 'resident-panel', beforeScan);
		// @ts-expect-error -- a test-only global
		const enterAt = await page.evaluate(() => window.__benchProbe.enterAt);
		await kiosk.expectResident();
		// The cheapest, to stay within the community's offline daily limit.
		const [cheapest] = await kiosk.availableItems();
		if (!cheapest) {
			await kiosk.exit();
			continue;
		}
		await kiosk.addItem(cheapest.id);
		await page.getByTestId('confirm-redeem').click();
		const before = await page.evaluate(() => performance.now());
		await page.getByTestId('confirm-yes').click();
		const { painted } = await waitForPaint(page, 'success', before);
		const clickedAt = await page.evaluate(
			// @ts-expect-error -- a test-only global
			() => window.__benchProbe.confirmClickedAt
		);
		tapToPainted.push(painted - clickedAt);
		scanToPainted.push(residentPainted - enterAt);
		// The UI's own marks: the last redeem-start → redeem-committed pair, if it belongs to this tap.
		const measured = await page.evaluate((after) => {
			const start = performance.getEntriesByName('redeem-start', 'mark').at(-1);
			const end = performance.getEntriesByName('redeem-committed', 'mark').at(-1);
			if (!start || !end || start.startTime < after || end.startTime < start.startTime) return null;
			return performance.measure('offline-redemption-commit', 'redeem-start', 'redeem-committed')
				.duration;
		}, before);
		if (measured !== null) commits.push(measured);
		// The whole round (scan typed, panel, cart, confirm, success) as the bench drives it.
		roundMs.push(Date.now() - roundStarted);
	}
	if (profiling) await printProfile(profiling);
	return {
		...summary(tapToPainted),
		commit: commits.length > 0 ? summary(commits) : null,
		scanToPainted: summary(scanToPainted),
		round: summary(roundMs)
	};
}

test('2. offline redemption: tap → success painted, fresh and with 1,000 pending', async ({
	page,
	context,
	browser,
	baseURL
}) => {
	test.setTimeout(20 * 60_000);
	await page.addInitScript(installPaintProbe);
	const kiosk = new KioskPage(page);

	// A fresh kiosk: enrolled, synced, nothing waiting.
	await kiosk.open();
	await kiosk.enroll(demoCode(2));
	await kiosk.waitForSynced();
	await context.setOffline(true);
	await kiosk.expectOnline(false);
	const fresh = await measureRedemptions(page, kiosk);
	console.log(`bench: ${fresh.n} redemptions measured on the fresh kiosk`);
	await kiosk.expectPending(fresh.n);
	await context.setOffline(false);
	await kiosk.expectPending(0, 60_000);
	// Kept at once: the second half below must not lose the first.
	record('offlineRedemption', { fresh, withBacklog: null });
	// The first kiosk stops: left open, its camera decoding and sync timers would share the two
	// cores with the second one and slow every step there (measured: rounds 2 → 10 s at load 15).
	await page.goto('about:blank');

	// Another kiosk (a new browser storage), three busy days offline: 1,000 redemptions of its
	// own waiting for the server.
	const loadedContext = await browser.newContext({
		baseURL,
		viewport: { width: 1280, height: 800 },
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		permissions: ['camera'],
		serviceWorkers: 'allow'
	});
	loadedContext.setDefaultTimeout(30_000);
	const loadedPage = await loadedContext.newPage();
	await loadedPage.addInitScript(installPaintProbe);
	const loaded = new KioskPage(loadedPage);
	await loaded.open();
	await loaded.enroll(demoCode(4));
	await loaded.waitForSynced();
	await loadedContext.setOffline(true);
	await loaded.expectOnline(false);
	const backlog = await loadedPage.evaluate(seedPendingRedemptions, {
		count: PENDING_BACKLOG,
		dbName: 'credit-shop-kiosk',
		cards: prepared.demoCards
	});
	console.log(`bench: ${backlog.seeded} pending redemptions written into the second kiosk`);
	const backlogCosts = await loadedPage.evaluate(timeBacklogReads, 'credit-shop-kiosk');
	console.log(`bench: backlog reads and writes ${JSON.stringify(backlogCosts)}`);
	// No reload: every read of a redemption goes to IndexedDB, and the first one written through
	// Dexie makes its live queries (the pending count) read the backlog too.
	const withBacklog = await measureRedemptions(loadedPage, loaded);
	console.log(`bench: ${withBacklog.n} redemptions measured on the kiosk with the backlog`);
	await loaded.expectPending(PENDING_BACKLOG + withBacklog.n);
	// The backlog goes to the server like any other: all applied, none refused.
	const syncStarted = Date.now();
	console.log('bench: the second kiosk goes online and pushes its backlog');
	await loadedContext.setOffline(false);
	await loaded.expectPending(0, 10 * 60_000);
	const syncMs = Date.now() - syncStarted;
	const refused = await loadedPage.evaluate(countRefused, 'credit-shop-kiosk');
	expect(refused).toEqual({ attention: 0, rejected: 0 });
	await loadedContext.close();

	record('offlineRedemption', {
		fresh,
		withBacklog: { ...withBacklog, pendingBefore: PENDING_BACKLOG, backlog, backlogCosts, syncMs },
		note: 'network off; confirm tap → success screen painted (the next frame after it entered the DOM); commit = the UI marks redeem-start (confirm accepted) → redeem-committed (Dexie transaction committed); scanToPainted = wedge scan Enter → resident panel painted; round = one whole scan, cart, confirm, success as the bench drives it. withBacklog: a second kiosk holding PENDING_BACKLOG pending redemptions of its own over the three days before today, written into its IndexedDB as recordRedemption writes them, then pushed to the server (syncMs, all applied)'
	});
});

test('3. cold start with the network off', async ({ baseURL }) => {
	const { executablePath } = requireChromium();
	const profile = await mkdtemp(join(tmpdir(), 'credit-shop-bench-profile-'));
	/** @param {boolean} offline */
	const launch = (offline) =>
		chromium.launchPersistentContext(profile, {
			executablePath,
			args: [...CHROMIUM_ARGS, ...FAKE_MEDIA_ARGS],
			baseURL,
			offline,
			viewport: { width: 1280, height: 800 },
			locale: 'zh-CN',
			serviceWorkers: 'allow'
		});
	try {
		const online = await launch(false);
		const first = new KioskPage(online.pages()[0] ?? (await online.newPage()));
		await first.open();
		await first.enroll(demoCode(3));
		await first.waitForSynced();
		await first.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
		await online.close();

		const readyMs = [];
		for (let i = 0; i < COLD_STARTS; i++) {
			const context = await launch(true);
			const page = context.pages()[0] ?? (await context.newPage());
			await page.addInitScript(installPaintProbe);
			await page.goto('/kiosk');
			const { painted } = await waitForPaint(page, 'attract', 0);
			readyMs.push(painted);
			await context.close();
		}
		record('coldStartOffline', {
			...summary(readyMs),
			note: 'fresh browser process on a profile that visited once; navigation start → attract painted, network off'
		});
	} finally {
		await rm(profile, { recursive: true, force: true });
	}
});

test('5. 100,000 residents: first pull and scan', async ({ page }) => {
	test.setTimeout(15 * 60_000);
	await page.addInitScript(installPaintProbe);
	const kiosk = new KioskPage(page);
	await kiosk.open();
	await kiosk.setupCodeInput.fill(prepared.large.codes[0]);
	const started = Date.now();
	await page.getByTestId('setup-submit').click();
	await kiosk.waitForAttract();
	const readLastPull = () =>
		page.evaluate(
			() =>
				new Promise((resolve) => {
					const open = indexedDB.open('credit-shop-kiosk');
					open.onerror = () => resolve(null);
					open.onsuccess = () => {
						const db = open.result;
						if (!db.objectStoreNames.contains('meta')) {
							db.close();
							resolve(null);
							return;
						}
						const read = db.transaction('meta').objectStore('meta').get('lastPullAt');
						read.onsuccess = () => {
							db.close();
							resolve(read.result?.value ?? null);
						};
						read.onerror = () => {
							db.close();
							resolve(null);
						};
					};
				})
		);
	await expect.poll(readLastPull, { timeout: 10 * 60_000, intervals: [250] }).not.toBeNull();
	const pullMs = Date.now() - started;

	const scanMs = [];
	for (const card of prepared.large.cards.slice(0, 31)) {
		if (await kiosk.residentPanel.isVisible()) await kiosk.exit();
		const before = await page.evaluate(() => performance.now());
		await kiosk.scanByWedge(card.credential);
		const { painted } = await waitForPaint(page, 'resident-panel', before);
		// @ts-expect-error -- a test-only global
		const enterAt = await page.evaluate(() => window.__benchProbe.enterAt);
		scanMs.push(painted - enterAt);
	}
	scanMs.shift(); // the first one warms up the key import
	record('largeCommunity', {
		residents: prepared.large.residents,
		firstPullMs: pullMs,
		wedgeScanToPainted: summary(scanMs),
		note: 'enroll tap → lastPullAt stored (whole feed applied); scan = the wedge Enter → resident painted (card check, lookup and render)'
	});
});
