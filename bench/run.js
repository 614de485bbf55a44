/**
 * `npm run bench`: the figures of the README's performance table, on this machine.
 *
 *   1. QR first visible in the camera stream → resident panel painted (Chromium, ≥ 30 scans)
 *   2. offline redemption: confirm tap → success painted (Chromium), on a fresh kiosk and on one
 *      holding 1,000 pending redemptions of its own
 *   3. cold start with the network off → ready to scan (Chromium)
 *   4. a kiosk's 1,000-event backlog pushed over HTTP in batches of 500 (five kiosks, one after
 *      another), and the ratio to a raw insert of the same rows into the same tables
 *   5. 100,000 residents on a kiosk: first pull (Chromium over HTTP; and in process) and card
 *      lookup p95 (in process)
 *   6. /kiosk initial JavaScript, gzip, with the scanner chunks and the wasm counted apart
 *   7. shop mode, 500 items and 2,000 movements in the day: open the closing screen, produce
 *      the day report (Chromium; and in process)
 *   8. the lobby display's long run (Chromium)
 *   9. the office (in process): a 10,000-resident CSV imported, resident search over 100,000,
 *      points recorded for a batch of 200
 *  10. adversarial sync: the e2e spec with 1,000 server kills (a quarter of an hour or more)
 *  11. the camera's decoder on hard cards (bench/scanner-decode.js, which writes its own
 *      bench/results/scanner-decode.{json,md})
 *
 * Writes bench/results/latest.json and bench/results/latest.md. Builds first if there is no
 * build (`--build` forces a build). `--quick` runs smaller numbers to check the harness.
 * `--only=FIGURE[,FIGURE]` measures only those figures (camera, commit, cold-start, push, residents,
 * bundle, shop, display, office, adversarial, scanner) and prints them without touching the results files.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { requireChromium } from '../scripts/find-chromium.js';
import { percentile, readJson, writeJson } from './tasks/bench-io.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TMP = join(ROOT, 'bench', '.tmp');
const RESULTS = join(ROOT, 'bench', 'results');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
/** Figure name → the browser benchmark titles it runs (bench/browser), if any. */
const FIGURES = {
	camera: ['1. camera'],
	commit: ['2. offline redemption'],
	'cold-start': ['3. cold start'],
	push: [],
	residents: ['5. 100,000 residents'],
	bundle: [],
	shop: ['shop: open the closing screen'],
	display: ['display: '],
	office: [],
	adversarial: [],
	scanner: []
};
const onlyArgument = [...args].find((arg) => arg.startsWith('--only='));
const only = onlyArgument ? new Set(onlyArgument.slice('--only='.length).split(',')) : null;
for (const name of only ?? []) {
	if (!(name in FIGURES)) {
		console.error(`bench: unknown figure "${name}"; known: ${Object.keys(FIGURES).join(', ')}`);
		process.exit(2);
	}
}
/** @param {keyof typeof FIGURES} name */
const measures = (name) => only === null || only.has(name);
// The large community serves the push and the 100,000-resident figures; others need only a few.
const LARGE_RESIDENTS = quick || !(measures('push') || measures('residents')) ? 5000 : 100_000;
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Playwright --grep for the chosen browser figures; null when all of them run. */
const browserGrep =
	only === null
		? null
		: [...only].flatMap((name) => FIGURES[name].map(escapeRegExp)).join('|') || null;
/** A kiosk's backlog after three busy days offline, and how many kiosks push one. */
const PUSH_EVENTS = 1000;
const PUSH_BACKLOGS = quick ? 2 : 5;
const PUSH_BATCH = 500;
const RAW_RUNS = 3;
const ADVERSARIAL_KILLS = 1000;

function log(message) {
	console.log(`bench: ${message}`);
}

function run(command, commandArgs, env = {}) {
	const result = spawnSync(command, commandArgs, {
		cwd: ROOT,
		stdio: 'inherit',
		env: { ...process.env, ...env }
	});
	if (result.status !== 0) {
		throw new Error(`${command} ${commandArgs.join(' ')} exited with ${result.status}`);
	}
}

function freePort() {
	return new Promise((resolvePort, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

async function startServer(dataDir) {
	const port = await freePort();
	const baseURL = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [join(ROOT, 'build', 'index.js')], {
		cwd: ROOT,
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: baseURL,
			DATA_DIR: dataDir,
			BODY_SIZE_LIMIT: '2M',
			CREDIT_SHOP_DEMO: '1'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
		try {
			const response = await fetch(`${baseURL}/kiosk`);
			if (response.status < 500) return { baseURL, stop: () => stopServer(child) };
		} catch {
			// not yet listening
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	child.kill('SIGKILL');
	throw new Error(`server did not start:\n${output}`);
}

async function stopServer(child) {
	if (child.exitCode !== null) return;
	const exited = new Promise((r) => child.once('exit', r));
	child.kill('SIGTERM');
	await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
	if (child.exitCode === null) child.kill('SIGKILL');
}

const SQLITE_FILE = 'credit-shop.sqlite';

/** A UUIDv7 (RFC 9562) for the time `ms`, as the kiosk makes event ids. */
function uuidv7At(ms) {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	const time = BigInt(ms);
	for (let i = 0; i < 6; i++) bytes[i] = Number((time >> BigInt(8 * (5 - i))) & 0xffn);
	bytes[6] = 0x70 | (bytes[6] & 0x0f);
	bytes[8] = 0x80 | (bytes[8] & 0x3f);
	const hex = Buffer.from(bytes).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Figure 4: kiosks' backlogs of PUSH_EVENTS events each (three busy days offline), pushed one
 * kiosk after another in batches of 500 over HTTP, as the kiosk sends them; then the rows those
 * pushes wrote, inserted raw into the same tables of a copy of the database taken just before
 * the first push (the median of RAW_RUNS runs).
 */
async function benchPush(baseURL, prepared) {
	const file = join(prepared.dataDir, SQLITE_FILE);
	const reader = new Database(file, { readonly: true });
	const items = reader
		.prepare(
			`SELECT id, points FROM items WHERE community_id = ? AND active = 1 ORDER BY points, id LIMIT 6`
		)
		.all(prepared.large.communityId);
	reader.close();

	const kiosks = [];
	for (let k = 0; k < PUSH_BACKLOGS; k++) {
		const enroll = await fetch(`${baseURL}/api/devices/enroll`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				code: prepared.large.codes[1 + k],
				kind: 'kiosk',
				name: `压力测试 ${k + 1}`
			})
		});
		if (!enroll.ok) throw new Error(`enroll failed: ${enroll.status} ${await enroll.text()}`);
		kiosks.push(await enroll.json());
	}

	// Residents with their signed card texts, spread over the community (prepare-server-data).
	const cards = prepared.large.pushCards;
	const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });
	// A kiosk's outbox after three busy days offline, one redemption every few minutes, each with
	// the UUIDv7 id the kiosk gives it (src/lib/domain/uuid.ts), so ids sort by time as real ones do.
	const spacingMs = Math.floor((3 * 86_400_000) / PUSH_EVENTS);
	const backlogs = kiosks.map((device, k) => {
		const firstAt = Date.now() - 3 * 86_400_000;
		return Array.from({ length: PUSH_EVENTS }, (_, i) => {
			const item = items[i % items.length];
			// Spread over the community, as many residents' visits would be.
			const card = cards[((k * PUSH_EVENTS + i) * 7919) % cards.length];
			const at = firstAt + i * spacingMs;
			return {
				id: uuidv7At(at),
				deviceId: device.deviceId,
				deviceSeq: i + 1,
				type: 'redemption',
				occurredAt: new Date(at).toISOString(),
				payload: {
					residentId: card.residentId,
					cardSerial: 1,
					credential: card.credential,
					lines: [{ itemId: item.id, quantity: 1, unitPoints: item.points }],
					totalPoints: item.points,
					offline: true,
					businessDate: dayOf.format(new Date(at))
				}
			};
		});
	});

	// Start from a checkpointed WAL, as the raw runs below do.
	const checkpoint = new Database(file);
	checkpoint.pragma('wal_checkpoint(TRUNCATE)');
	const { feedSeqBefore } = checkpoint
		.prepare('SELECT COALESCE(MAX(seq), 0) AS feedSeqBefore FROM changes')
		.get();
	checkpoint.close();
	// The database as the push finds it, for the raw runs into the same tables.
	const baselineFile = join(prepared.dataDir, 'bench-raw-baseline.sqlite');
	copyFileSync(file, baselineFile);

	const backlogMs = [];
	const batchMs = [];
	for (const [k, events] of backlogs.entries()) {
		const started = performance.now();
		for (let i = 0; i < events.length; i += PUSH_BATCH) {
			const batchStarted = performance.now();
			const response = await fetch(`${baseURL}/api/sync/push`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					authorization: `Bearer ${kiosks[k].token}`
				},
				body: JSON.stringify({
					events: events.slice(i, i + PUSH_BATCH),
					sentAt: new Date().toISOString()
				})
			});
			if (!response.ok) throw new Error(`push failed: ${response.status} ${await response.text()}`);
			const body = await response.json();
			const notApplied = body.results.find((r) => r.status !== 'applied');
			if (notApplied) throw new Error(`an event was not applied: ${JSON.stringify(notApplied)}`);
			batchMs.push(performance.now() - batchStarted);
		}
		backlogMs.push(performance.now() - started);
	}
	const pushMs = backlogMs.reduce((a, b) => a + b, 0);

	// What the pushes wrote, event by event: received events, ledger entries, stock movements,
	// review flags; and the feed rows they left (one per entity, the latest snapshot).
	const pushed = new Database(file, { readonly: true });
	const tables = ['received_events', 'ledger_entries', 'stock_movements', 'review_flags'];
	const eventColumn = {
		received_events: 'id',
		ledger_entries: 'event_id',
		stock_movements: 'event_id',
		review_flags: 'event_id'
	};
	const deviceIds = kiosks.map((device) => device.deviceId);
	const inDevices = `(${deviceIds.map(() => '?').join(', ')})`;
	const rowsByTable = {};
	for (const table of tables) {
		const column = eventColumn[table];
		const rows = pushed
			.prepare(
				table === 'received_events'
					? `SELECT * FROM received_events WHERE device_id IN ${inDevices}`
					: `SELECT t.* FROM ${table} t JOIN received_events r ON r.id = t.${column} WHERE r.device_id IN ${inDevices}`
			)
			.all(...deviceIds);
		rowsByTable[table] = new Map();
		for (const row of rows) {
			const key = row[column];
			if (!rowsByTable[table].has(key)) rowsByTable[table].set(key, []);
			rowsByTable[table].get(key).push(row);
		}
	}
	const feedByEntity = new Map(
		pushed
			.prepare(
				'SELECT community_id, entity, entity_id, data, recorded_at FROM changes WHERE seq > ?'
			)
			.all(feedSeqBefore)
			.map((row) => [`${row.entity}:${row.entity_id}`, row])
	);
	pushed.close();
	/**
	 * The feed rows one batch replaced: every resident and item its events touched (as far as the
	 * feed holds them: an item that keeps no stock has no row to replace).
	 */
	const feedRowsOf = (batch) => {
		const keys = new Set();
		for (const event of batch) {
			keys.add(`resident:${event.payload.residentId}`);
			for (const line of event.payload.lines) keys.add(`item:${line.itemId}`);
		}
		return [...keys].map((key) => feedByEntity.get(key)).filter(Boolean);
	};
	const batches = backlogs.flatMap((events) => {
		const out = [];
		for (let i = 0; i < events.length; i += PUSH_BATCH) out.push(events.slice(i, i + PUSH_BATCH));
		return out;
	});
	const batchFeeds = batches.map(feedRowsOf);
	const rowCount =
		batchFeeds.reduce((sum, rows) => sum + rows.length, 0) +
		tables.reduce(
			(sum, t) => sum + [...rowsByTable[t].values()].reduce((s, r) => s + r.length, 0),
			0
		);
	const openLikeTheServer = (path) => {
		const db = new Database(path);
		db.pragma('journal_mode = WAL');
		db.pragma('synchronous = FULL');
		db.pragma('foreign_keys = ON');
		db.pragma('cache_size = -65536');
		db.pragma('wal_autocheckpoint = 10000');
		return db;
	};
	/**
	 * The same writes, raw: one transaction per batch, as the server commits them: each event's
	 * rows, and the batch's feed rows replaced (the entity's old row deleted, a new one inserted
	 * under a new seq), as recordChanges does.
	 */
	const insertRaw = (db) => {
		const insert = {};
		for (const table of tables) {
			const columns = db
				.prepare(`SELECT * FROM ${table} LIMIT 0`)
				.columns()
				.map((c) => c.name);
			insert[table] = db.prepare(
				`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')})`
			);
		}
		const deleteFeedRow = db.prepare(
			'DELETE FROM changes WHERE community_id = @community_id AND entity = @entity AND entity_id = @entity_id'
		);
		const insertFeedRow = db.prepare(
			'INSERT INTO changes (community_id, entity, entity_id, data, recorded_at) VALUES (@community_id, @entity, @entity_id, @data, @recorded_at)'
		);
		const rawStarted = performance.now();
		batches.forEach((batch, b) => {
			db.transaction(() => {
				for (const event of batch) {
					for (const table of tables) {
						for (const row of rowsByTable[table].get(event.id) ?? []) insert[table].run(row);
					}
				}
				for (const row of batchFeeds[b]) {
					deleteFeedRow.run(row);
					insertFeedRow.run(row);
				}
			})();
		});
		return performance.now() - rawStarted;
	};

	// Commit timings on a disk vary from run to run: the median of a few raw runs, each on a
	// fresh copy of the database as the push found it (same rows, same indexes).
	const rawRuns = [];
	for (let run = 0; run < RAW_RUNS; run++) {
		const runFile = join(prepared.dataDir, 'bench-raw-run.sqlite');
		copyFileSync(baselineFile, runFile);
		const db = openLikeTheServer(runFile);
		rawRuns.push(insertRaw(db));
		db.close();
		for (const suffix of ['', '-wal', '-shm']) rmSync(runFile + suffix, { force: true });
	}
	rmSync(baselineFile, { force: true });
	const rawMs = percentile(rawRuns, 0.5);

	return {
		backlogs: PUSH_BACKLOGS,
		events: PUSH_EVENTS,
		batch: PUSH_BATCH,
		// In the order pushed: the first one meets a server that has not pushed anything yet.
		backlogMs,
		backlogP50Ms: percentile(backlogMs, 0.5),
		backlogMaxMs: Math.max(...backlogMs),
		batchP50Ms: percentile(batchMs, 0.5),
		batchP95Ms: percentile(batchMs, 0.95),
		eventsPerSecond: ((PUSH_BACKLOGS * PUSH_EVENTS) / pushMs) * 1000,
		rawRows: rowCount,
		rawMs,
		rawRunsMs: rawRuns,
		ratio: rawMs / pushMs,
		loadAverage: loadavg()[0]
	};
}

/**
 * The long adversarial sync run: tests/e2e/api/adversarial-sync.spec.ts (kiosks pushing through
 * server kills, replays, reordering and concurrency; every event in the books exactly once) with
 * ADVERSARIAL_KILLS kills, through the e2e runner and the built server.
 */
function benchAdversarial() {
	const kills = quick ? 20 : ADVERSARIAL_KILLS;
	const loadBefore = loadavg()[0];
	const started = performance.now();
	const result = spawnSync(
		process.execPath,
		[
			join(ROOT, 'scripts', 'e2e.js'),
			'tests/e2e/api/adversarial-sync.spec.ts',
			'--reporter=list',
			'--workers=1'
		],
		{
			cwd: ROOT,
			encoding: 'utf8',
			env: { ...process.env, ADVERSARIAL_KILLS: String(kills) },
			maxBuffer: 64 * 2 ** 20
		}
	);
	const durationMs = performance.now() - started;
	const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
	process.stdout.write(output);
	// The spec's own last line: "adversarial sync: N events, K kills, seed S: exactly once".
	const line = output.match(
		/adversarial sync: (\d+) events, (\d+) kills, seed (\d+): exactly once/
	);
	const passed = result.status === 0 && line !== null;
	return {
		passed,
		// The spec prints its line only after every exactly-once check passed.
		checksPassed: line !== null,
		timedOut: /Test timeout of \d+ms exceeded/.test(output),
		killsAsked: kills,
		events: line ? Number(line[1]) : null,
		kills: line ? Number(line[2]) : null,
		seed: line ? Number(line[3]) : Number(process.env.ADVERSARIAL_SEED || 20261206),
		durationMs,
		exitStatus: result.status,
		failure: passed ? null : output.split('\n').slice(-40).join('\n'),
		loadAverage: { before: loadBefore, after: loadavg()[0] }
	};
}

/** Figure 6: what /kiosk loads before it can paint, gzip-compressed, and what it loads later. */
function benchKioskBundle() {
	const client = join(ROOT, 'build', 'client');
	const candidates = ['kiosk.html', 'kiosk/index.html'].map((p) =>
		join(ROOT, 'build', 'prerendered', p)
	);
	const htmlPath = candidates.find((p) => existsSync(p));
	if (!htmlPath) return { error: 'no prerendered /kiosk page in build/prerendered' };
	const html = readFileSync(htmlPath, 'utf8');
	const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
	const toFile = (href) => join(client, new URL(href, 'http://kiosk.local/kiosk').pathname);

	const entries = new Set();
	for (const [, href] of html.matchAll(/<link[^>]+rel="modulepreload"[^>]*href="([^"]+)"/g))
		entries.add(toFile(href));
	for (const [, href] of html.matchAll(/<link[^>]+href="([^"]+)"[^>]*rel="modulepreload"/g))
		entries.add(toFile(href));
	for (const [, src] of html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g))
		entries.add(toFile(src));
	for (const [, src] of html.matchAll(/import\(\s*"([^"]+\.js)"\s*\)/g)) entries.add(toFile(src));

	// Follow static imports (not dynamic `import(...)`): everything the first paint waits for.
	const initial = new Set();
	const queue = [...entries].filter((f) => existsSync(f));
	while (queue.length > 0) {
		const file = queue.pop();
		if (initial.has(file)) continue;
		initial.add(file);
		const code = readFileSync(file, 'utf8');
		const staticImport =
			/(?:^|[^.\w$])(?:import|export)\s*(?:[\w$*{}\s,]+from\s*)?["']([^"']+\.js)["']/g;
		for (const [, spec] of code.matchAll(staticImport)) {
			const target = resolve(dirname(file), spec);
			if (existsSync(target) && !initial.has(target)) queue.push(target);
		}
	}

	const allFiles = [];
	const walk = (dir) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else allFiles.push(path);
		}
	};
	walk(client);
	const isScanner = (file) =>
		file.endsWith('.js') &&
		/Html5Qrcode|zxing|ZXing|BarcodeDetector/.test(readFileSync(file, 'utf8'));
	const scannerFiles = allFiles.filter(isScanner);
	const wasmFiles = allFiles.filter((f) => f.endsWith('.wasm'));
	const initialApp = [...initial].filter((f) => !scannerFiles.includes(f));
	const initialScanner = [...initial].filter((f) => scannerFiles.includes(f));
	const sum = (files) => files.reduce((total, f) => total + gz(f), 0);
	const name = (f) => relative(client, f);
	return {
		page: relative(ROOT, htmlPath),
		initialJsGzipBytes: sum(initialApp),
		initialFiles: initialApp.map((f) => ({ file: name(f), gzipBytes: gz(f) })),
		scannerInInitialGzipBytes: sum(initialScanner),
		scannerLazyGzipBytes: sum(scannerFiles.filter((f) => !initial.has(f))),
		scannerFiles: scannerFiles.map((f) => ({ file: name(f), gzipBytes: gz(f) })),
		wasmGzipBytes: sum(wasmFiles),
		wasmFiles: wasmFiles.map((f) => ({ file: name(f), bytes: statSync(f).size, gzipBytes: gz(f) }))
	};
}

const ms = (value) =>
	typeof value === 'number' && Number.isFinite(value)
		? `${value.toFixed(value < 10 ? 1 : 0)} ms`
		: 'n/a';
const kb = (bytes) => (typeof bytes === 'number' ? `${(bytes / 1024).toFixed(1)} KB` : 'n/a');

/** The lobby display's long run (bench/browser/display.bench.js). */
function displayRow(d) {
	const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
	const pct = (value) => `${value >= 0 ? '+' : ''}${value.toFixed(1)} %`;
	const dom = d?.domSameSlides;
	const domText = dom
		? `DOM nodes for the same slides ${dom.start} → ${dom.end} (${pct(dom.percent)}, worst of ${dom.compared} slide pairs)`
		: `${d?.start.domNodes} → ${d?.end.domNodes} nodes (${pct(d?.domGrowthPercent ?? 0)})`;
	return [
		`lobby display: ${d?.changes ?? 2000} slide changes — JS heap, DOM nodes (start → end), longest frame`,
		d
			? `${mb(d.start.heapUsed)} → ${mb(d.end.heapUsed)} (${pct(d.heapGrowthPercent)}), ${domText}, ${ms(d.longestFrameMs)}${d.early ? `; heap after the first ${d.earlyChanges} changes ${mb(d.early.heapUsed)}, measured from change ${d.warmUpChanges}` : ''}`
			: 'n/a',
		'growth < 5 %'
	];
}

/** Figure 2: tap → success painted on a fresh kiosk and on one with a backlog of its own. */
function redemptionRow(r) {
	const pair = (x) => (x ? `${ms(x.p50)} / ${ms(x.p95)} (n=${x.n})` : 'n/a');
	const backlog = r?.withBacklog;
	return [
		`offline redemption: confirm tap → success screen painted, p50 / p95 — fresh kiosk; kiosk holding ${(backlog?.pendingBefore ?? 1000).toLocaleString('en')} pending redemptions of its own`,
		r?.fresh
			? `${pair(r.fresh)}; ${pair(backlog)} (the commit alone, UI marks: ${pair(r.fresh.commit)}; ${pair(backlog?.commit)}; wedge scan → resident painted: ${pair(r.fresh.scanToPainted)}; ${pair(backlog?.scanToPainted)})`
			: 'n/a',
		'p95 ≤ 100 ms'
	];
}

/** Issue 11: the office's residents (import, search) and points (a batch of 200). */
function officeRows(o) {
	const imp = o?.residents?.import;
	const search = o?.residents?.search;
	const points = o?.points;
	return [
		[
			`office: import of a ${(imp?.rows ?? 10_000).toLocaleString('en')}-resident CSV, dry run + confirmation (in process)`,
			imp
				? `${(imp.totalMs / 1000).toFixed(2)} s (${(imp.dryRunMs / 1000).toFixed(2)} + ${(imp.commitMs / 1000).toFixed(2)} s)`
				: 'n/a',
			'≤ 10 s'
		],
		[
			`office: resident search over ${(search?.residents ?? 100_000).toLocaleString('en')} residents, p50 / p95 (in process)`,
			search
				? `${ms(search.p50Ms)} / ${ms(search.p95Ms)} (CPU time ${ms(search.cpuP50Ms)} / ${ms(search.cpuP95Ms)})`
				: 'n/a',
			'p95 ≤ 50 ms'
		],
		[
			`office: recording points for a batch of ${points?.batch ?? 200} residents, median / p95 of ${points?.runs ?? 10} (in process)`,
			points ? `${ms(points.medianMs)} / ${ms(points.p95Ms)}` : 'n/a',
			'≤ 1 s'
		]
	];
}

/** Issue 12: the long adversarial sync run. */
function adversarialRow(a) {
	return [
		`adversarial sync: kiosks pushing through ${(a?.killsAsked ?? ADVERSARIAL_KILLS).toLocaleString('en')} server kills, replays, reordering, concurrency`,
		a
			? `${a.passed ? 'passed' : a.checksPassed ? 'every check passed, but the test failed' : 'FAILED'}${a.timedOut ? ' (timed out)' : ''}: ${a.events?.toLocaleString('en') ?? '?'} events, ${a.kills?.toLocaleString('en') ?? '?'} kills${a.checksPassed ? ', exactly once' : ''}; ${(a.durationMs / 60_000).toFixed(1)} min`
			: 'n/a',
		'every event exactly once'
	];
}

function markdownTable(results) {
	const b = results.browser ?? {};
	const p = results.push ?? {};
	const k = results.kioskInProcess ?? {};
	const j = results.kioskBundle ?? {};
	const s = results.shopInProcess ?? {};
	const c = b.shopClosing;
	const rows = [
		[
			'QR first visible in the camera stream → resident panel painted, p50 / p95',
			b.cameraScan
				? `${ms(b.cameraScan.p50)} / ${ms(b.cameraScan.p95)} (n=${b.cameraScan.n})`
				: 'n/a',
			'p95 ≤ 150 ms'
		],
		redemptionRow(b.offlineRedemption),
		[
			'cold start with the network off → ready to scan, median (max)',
			b.coldStartOffline ? `${ms(b.coldStartOffline.p50)} (${ms(b.coldStartOffline.max)})` : 'n/a',
			'≤ 1.5 s'
		],
		[
			`a kiosk's ${(p.events ?? PUSH_EVENTS).toLocaleString('en')}-event backlog pushed in batches of ${p.batch ?? PUSH_BATCH} over HTTP, median (max) of ${p.backlogs ?? PUSH_BACKLOGS} kiosks; ratio to a raw insert of the same rows`,
			p.backlogMs
				? `${ms(p.backlogP50Ms)} (${ms(p.backlogMaxMs)}; in order ${p.backlogMs.map((v) => Math.round(v)).join(', ')} ms); ratio ${p.ratio.toFixed(2)}`
				: 'n/a',
			'≤ 2 s'
		],
		[
			`${(b.largeCommunity?.residents ?? k.residents ?? LARGE_RESIDENTS).toLocaleString('en')} residents on the kiosk: first pull, card lookup p95`,
			`${b.largeCommunity ? ms(b.largeCommunity.firstPullMs) : 'n/a'}, ${ms(k.lookupP95Ms)}`,
			'pull ≤ 20 s, lookup ≤ 5 ms'
		],
		[
			'/kiosk initial JavaScript, gzip (scanner, wasm apart)',
			j.initialJsGzipBytes !== undefined
				? `${kb(j.initialJsGzipBytes)} (scanner ${kb(j.scannerLazyGzipBytes + j.scannerInInitialGzipBytes)}, wasm ${kb(j.wasmGzipBytes)})`
				: 'n/a',
			'≤ 120 KB'
		],
		[
			`shop: open the closing screen, ${s.items ?? 500} items and ${s.movements ?? 2000} movements in the day — browser median (max); in process`,
			`${c ? `${ms(c.openClosing.p50)} (${ms(c.openClosing.max)})` : 'n/a'}; ${ms(s.openClosingP50Ms)}`,
			'< 1 s'
		],
		[
			'shop: close the day → day report painted — browser; in process (closeDay, CSV)',
			`${c ? ms(c.reportMs) : 'n/a'}; ${ms(s.closeDayMs)}, ${ms(s.csvMs)}`,
			'< 1 s'
		],
		displayRow(b.displayRotation),
		...officeRows(results.office),
		adversarialRow(results.adversarial)
	];
	return [
		'| figure | result | aim |',
		'| --- | --- | --- |',
		...rows.map((r) => `| ${r.join(' | ')} |`),
		'',
		`Measured ${results.measuredAt} on ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGb} GB, Node ${results.machine.node}, ${results.machine.chromium}.`
	].join('\n');
}

async function main() {
	const chromium = requireChromium();
	mkdirSync(TMP, { recursive: true });
	mkdirSync(RESULTS, { recursive: true });
	if (args.has('--build') || !existsSync(join(ROOT, 'build', 'index.js'))) {
		log('building');
		run('npm', ['run', 'build']);
	}

	const dataDir = join(tmpdir(), `credit-shop-bench-${process.pid}`);
	rmSync(dataDir, { recursive: true, force: true });
	mkdirSync(dataDir, { recursive: true });
	const files = {
		BENCH_DATA_DIR: dataDir,
		BENCH_PREPARED_JSON: join(TMP, 'prepared.json'),
		BENCH_KIOSK_JSON: join(TMP, 'kiosk-in-process.json'),
		BENCH_BROWSER_JSON: join(TMP, 'browser.json'),
		BENCH_SHOP_JSON: join(TMP, 'shop-in-process.json'),
		BENCH_SHOP_DUMP_JSON: join(TMP, 'shop-day.json'),
		BENCH_LARGE_RESIDENTS: String(LARGE_RESIDENTS),
		...(quick
			? {
					BENCH_SCANS: '10',
					BENCH_REDEMPTIONS: '10',
					BENCH_COLD_STARTS: '2',
					BENCH_PENDING_BACKLOG: '200'
				}
			: {})
	};
	for (const key of ['BENCH_KIOSK_JSON', 'BENCH_BROWSER_JSON']) rmSync(files[key], { force: true });
	const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
	const playwright = join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');

	const results = {
		measuredAt: new Date().toISOString(),
		quick,
		machine: {
			cpus: cpus().length,
			cpuModel: cpus()[0]?.model ?? 'unknown',
			memoryGb: Math.round(totalmem() / 2 ** 30),
			node: process.version,
			chromium: `${chromium.executablePath} (${chromium.source})`,
			// Other work shares the cores: the load when the run started (1, 5, 15 minutes).
			loadAverageAtStart: loadavg()
		}
	};

	/** Runs one in-process task of bench/tasks under Vitest (for the $lib imports). */
	const runTask = (task, env = {}) =>
		run(
			process.execPath,
			[vitest, 'run', '--config', 'bench/vitest.config.js', `bench/tasks/${task}`],
			{ ...files, ...env }
		);
	// The figures that need the prepared data folder and the server; the others bring their own.
	const serverFigures = ['camera', 'commit', 'cold-start', 'push', 'residents', 'shop', 'display'];
	try {
		if (serverFigures.some(measures)) {
			log(`seeding the demo and a community of ${LARGE_RESIDENTS.toLocaleString('en')} residents`);
			runTask('prepare-server-data.task.js');
			const prepared = readJson(files.BENCH_PREPARED_JSON);
			results.largeSeedMs = prepared.large.seedMs;

			if (measures('residents')) {
				log('kiosk database with the large community, in process');
				runTask('kiosk-large-community.task.js');
				results.kioskInProcess = readJson(files.BENCH_KIOSK_JSON);
			}

			if (measures('shop')) {
				log('shop mode: a busy day closed, in process (also seeds the browser figure)');
				runTask('shop-closing.task.js');
				results.shopInProcess = readJson(files.BENCH_SHOP_JSON);
			}

			const server = await startServer(dataDir);
			try {
				if (measures('push')) {
					log(
						`pushing ${PUSH_BACKLOGS} kiosks' backlogs of ${PUSH_EVENTS} events to ${server.baseURL} (load ${loadavg()[0].toFixed(1)})`
					);
					results.push = await benchPush(server.baseURL, prepared);
				}
				if (browserGrep !== null || only === null) {
					log(`browser figures (load ${loadavg()[0].toFixed(1)})`);
					results.browserLoadAverage = { before: loadavg()[0] };
					try {
						run(
							process.execPath,
							[
								playwright,
								'test',
								'--config',
								'bench/playwright.config.js',
								...(browserGrep ? ['--grep', browserGrep] : [])
							],
							{ ...files, BENCH_BASE_URL: server.baseURL }
						);
					} catch (error) {
						// Keep what the browser did measure; the table says n/a for the rest.
						results.browserError = String(error.message ?? error);
					}
					results.browserLoadAverage.after = loadavg()[0];
					if (existsSync(files.BENCH_BROWSER_JSON))
						results.browser = readJson(files.BENCH_BROWSER_JSON);
				}
			} finally {
				await server.stop();
			}
		}
		if (measures('bundle')) results.kioskBundle = benchKioskBundle();
		if (measures('office')) {
			log(
				`office: residents' import and search, a batch of points (load ${loadavg()[0].toFixed(1)})`
			);
			const residentsOut = join(TMP, 'office-residents.json');
			const pointsOut = join(TMP, 'office-points.json');
			for (const out of [residentsOut, pointsOut]) rmSync(out, { force: true });
			const loadBefore = loadavg()[0];
			runTask('office-residents.task.js', {
				BENCH_OFFICE_RESIDENTS_OUT: residentsOut,
				...(quick ? { BENCH_IMPORT_ROWS: '2000', BENCH_SEARCH_RESIDENTS: '10000' } : {})
			});
			runTask('office-points.task.js', { BENCH_OFFICE_POINTS_OUT: pointsOut });
			results.office = {
				residents: readJson(residentsOut),
				points: readJson(pointsOut),
				loadAverage: { before: loadBefore, after: loadavg()[0] }
			};
		}
		if (measures('scanner')) {
			log(`the camera's decoder on hard cards (load ${loadavg()[0].toFixed(1)})`);
			run(process.execPath, ['bench/scanner-decode.js', ...(quick ? ['--quick'] : [])]);
		}
		// The longest, last: 1,000 server kills take a quarter of an hour or more.
		if (measures('adversarial')) {
			log(
				`adversarial sync with ${quick ? 20 : ADVERSARIAL_KILLS} kills (load ${loadavg()[0].toFixed(1)})`
			);
			results.adversarial = benchAdversarial();
			if (!results.adversarial.passed) process.exitCode = 1;
		}
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}

	const table = markdownTable(results);
	console.log(`\n${table}\n`);
	if (only === null) {
		writeJson(join(RESULTS, 'latest.json'), results);
		writeFileSync(join(RESULTS, 'latest.md'), `${table}\n`);
		log(`wrote ${relative(ROOT, join(RESULTS, 'latest.json'))} and latest.md`);
	} else {
		writeJson(join(TMP, 'only.json'), results);
		log(
			`measured ${[...only].join(', ')} only (${relative(ROOT, join(TMP, 'only.json'))}); results files untouched`
		);
	}
	if (results.browserError) {
		console.error(`bench: some browser figures are missing: ${results.browserError}`);
		process.exitCode = 1;
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
