/**
 * `npm run bench`: the figures of the README's performance table, on this machine.
 *
 *   1. QR first visible in the camera stream → resident panel painted (Chromium, ≥ 30 scans)
 *   2. offline redemption commit (Chromium)
 *   3. cold start with the network off → ready to scan (Chromium)
 *   4. 10,000 queued events pushed over HTTP: events/s, and the ratio to a raw insert of the
 *      same rows into the same tables of the database as the push found it (and, for
 *      comparison, into empty copies of those tables)
 *   5. 100,000 residents on a kiosk: first pull (Chromium over HTTP; and in process) and card
 *      lookup p95 (in process)
 *   6. /kiosk initial JavaScript, gzip, with the scanner chunks and the wasm counted apart
 *   7. shop mode, 500 items and 2,000 movements in the day: open the closing screen, produce
 *      the day report (Chromium; and in process)
 *
 * Writes bench/results/latest.json and bench/results/latest.md. Builds first if there is no
 * build (`--build` forces a build). `--quick` runs smaller numbers to check the harness.
 * `--only=FIGURE[,FIGURE]` measures only those figures (camera, commit, cold-start, push, residents,
 * bundle, shop, display) and prints them without touching the results files.
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
import { cpus, tmpdir, totalmem } from 'node:os';
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
	commit: ['2. offline redemption commit'],
	'cold-start': ['3. cold start'],
	push: [],
	residents: ['5. 100,000 residents'],
	bundle: [],
	shop: ['shop: open the closing screen'],
	display: ['display: ']
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
const PUSH_EVENTS = quick ? 1000 : 10_000;
const PUSH_BATCH = 500;
const RAW_RUNS = 3;

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

/**
 * An empty copy of `table` named bench_raw_<table>, with the same columns, constraints and
 * indexes, so the raw baseline pays the same index upkeep per row as the server's inserts.
 */
function cloneTableWithIndexes(db, table) {
	const copy = `bench_raw_${table}`;
	db.exec(`DROP TABLE IF EXISTS ${copy}`);
	const definitions = db
		.prepare(
			`SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type = 'index'`
		)
		.all(table);
	const tableName = new RegExp(`(["\\s])${table}(["\\s(])`);
	for (const { type, name, sql } of definitions) {
		let text = sql.replace(tableName, `$1${copy}$2`);
		if (type === 'index') text = text.replace(name, `bench_raw_${name}`);
		db.exec(text);
	}
}

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
 * Figure 4: a kiosk's outbox of 10,000 events pushed in batches of 500 over HTTP, then the same
 * rows the server wrote (received events, ledger entries, stock movements, review flags and the
 * change-feed rows) inserted raw, batch by batch, into the same tables of a copy of the database
 * taken just before the push, and into empty copies of those tables.
 */
async function benchPush(baseURL, prepared) {
	const enroll = await fetch(`${baseURL}/api/devices/enroll`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ code: prepared.large.codes[1], kind: 'kiosk', name: '压力测试' })
	});
	if (!enroll.ok) throw new Error(`enroll failed: ${enroll.status} ${await enroll.text()}`);
	const device = await enroll.json();

	const file = join(prepared.dataDir, SQLITE_FILE);
	const reader = new Database(file, { readonly: true });
	const items = reader
		.prepare(
			`SELECT id, points FROM items WHERE community_id = ? AND active = 1 ORDER BY points, id LIMIT 6`
		)
		.all(prepared.large.communityId);
	reader.close();

	const residents = prepared.large.residentIds;
	const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });
	// A kiosk's outbox after a long time offline: one redemption every 30 seconds, each with the
	// UUIDv7 id the kiosk gives it (src/lib/domain/uuid.ts), so ids sort by time as real ones do.
	const firstAt = Date.now() - PUSH_EVENTS * 30_000;
	const events = Array.from({ length: PUSH_EVENTS }, (_, i) => {
		const item = items[i % items.length];
		const lines = [{ itemId: item.id, quantity: 1, unitPoints: item.points }];
		const at = firstAt + i * 30_000;
		return {
			id: uuidv7At(at),
			deviceId: device.deviceId,
			deviceSeq: i + 1,
			type: 'redemption',
			occurredAt: new Date(at).toISOString(),
			payload: {
				// Spread over the community, as many residents' visits would be.
				residentId: residents[(i * 7919) % residents.length],
				cardSerial: 1,
				lines,
				totalPoints: item.points,
				offline: true,
				businessDate: dayOf.format(new Date(at))
			}
		};
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

	const started = performance.now();
	const batchMs = [];
	for (let i = 0; i < events.length; i += PUSH_BATCH) {
		const batchStarted = performance.now();
		const response = await fetch(`${baseURL}/api/sync/push`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${device.token}` },
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
	const pushMs = performance.now() - started;

	// Every feed row the push left (one per entity it touched): the raw runs insert the same.
	const watcher = new Database(file, { readonly: true });
	const feedRows = watcher.prepare('SELECT * FROM changes WHERE seq > ?').all(feedSeqBefore);
	watcher.close();

	// The same rows, raw: one transaction per batch, as the server commits them, with the
	// server's own connection settings (src/lib/server/db/connection.ts).
	const tables = ['received_events', 'ledger_entries', 'stock_movements', 'review_flags'];
	const eventColumn = {
		received_events: 'id',
		ledger_entries: 'event_id',
		stock_movements: 'event_id',
		review_flags: 'event_id'
	};
	const pushed = new Database(file, { readonly: true });
	const rowsByTable = {};
	for (const table of tables) {
		const column = eventColumn[table];
		const rows = pushed
			.prepare(
				table === 'received_events'
					? `SELECT * FROM received_events WHERE device_id = ?`
					: `SELECT t.* FROM ${table} t JOIN received_events r ON r.id = t.${column} WHERE r.device_id = ?`
			)
			.all(device.deviceId);
		rowsByTable[table] = new Map();
		for (const row of rows) {
			const key = row[column];
			if (!rowsByTable[table].has(key)) rowsByTable[table].set(key, []);
			rowsByTable[table].get(key).push(row);
		}
	}
	pushed.close();
	const batches = Math.ceil(events.length / PUSH_BATCH);
	const feedRowsPerBatch = Math.ceil(feedRows.length / batches);
	const rowCount =
		feedRows.length +
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
	 * Inserts every row the push wrote into `target(table)` of `db`, batch by batch (the feed
	 * rows spread evenly over the batches, since they cannot be tied to single events).
	 */
	const insertRaw = (db, target) => {
		const insert = {};
		for (const table of [...tables, 'changes']) {
			const columns = db
				.prepare(`SELECT * FROM ${table} LIMIT 0`)
				.columns()
				.map((c) => c.name);
			insert[table] = db.prepare(
				`INSERT INTO ${target(table)} (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')})`
			);
		}
		const rawStarted = performance.now();
		for (let i = 0; i < events.length; i += PUSH_BATCH) {
			db.transaction(() => {
				const batch = i / PUSH_BATCH;
				const feed = feedRows.slice(batch * feedRowsPerBatch, (batch + 1) * feedRowsPerBatch);
				for (const row of feed) insert.changes.run(row);
				for (const event of events.slice(i, i + PUSH_BATCH)) {
					for (const table of tables) {
						for (const row of rowsByTable[table].get(event.id) ?? []) insert[table].run(row);
					}
				}
			})();
		}
		return performance.now() - rawStarted;
	};

	// Commit timings on a disk vary from run to run: the median of a few raw runs.
	// (a) Into the same tables of the database as the push found it (a fresh copy each run): the
	// same rows into the same indexes, so only what the push does besides inserting is left out.
	const rawRuns = [];
	for (let run = 0; run < RAW_RUNS; run++) {
		const runFile = join(prepared.dataDir, 'bench-raw-run.sqlite');
		copyFileSync(baselineFile, runFile);
		const db = openLikeTheServer(runFile);
		rawRuns.push(insertRaw(db, (table) => table));
		db.close();
		for (const suffix of ['', '-wal', '-shm']) rmSync(runFile + suffix, { force: true });
	}
	rmSync(baselineFile, { force: true });
	// (b) Into empty copies of the tables, with the same indexes, in the server's file: the
	// baseline of earlier runs, kept for comparison (small indexes are cheaper to insert into).
	const emptyRuns = [];
	const raw = openLikeTheServer(file);
	for (const table of [...tables, 'changes']) cloneTableWithIndexes(raw, table);
	for (let run = 0; run < RAW_RUNS; run++) {
		for (const table of [...tables, 'changes']) raw.exec(`DELETE FROM bench_raw_${table}`);
		raw.pragma('wal_checkpoint(TRUNCATE)');
		emptyRuns.push(insertRaw(raw, (table) => `bench_raw_${table}`));
	}
	for (const table of [...tables, 'changes']) raw.exec(`DROP TABLE bench_raw_${table}`);
	raw.close();
	const rawMs = percentile(rawRuns, 0.5);
	const emptyCopiesMs = percentile(emptyRuns, 0.5);

	const eventsPerSecond = (events.length / pushMs) * 1000;
	const rawEventsPerSecond = (events.length / rawMs) * 1000;
	return {
		events: events.length,
		batch: PUSH_BATCH,
		pushMs,
		eventsPerSecond,
		batchP50Ms: percentile(batchMs, 0.5),
		batchP95Ms: percentile(batchMs, 0.95),
		rawRows: rowCount,
		rawMs,
		rawRunsMs: rawRuns,
		rawIntoEmptyCopiesMs: emptyCopiesMs,
		rawIntoEmptyCopiesRunsMs: emptyRuns,
		ratioToEmptyCopies: pushMs > 0 ? emptyCopiesMs / pushMs : null,
		rawEventsPerSecond,
		ratio: eventsPerSecond / rawEventsPerSecond
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
		[
			'offline redemption commit, p50 / p95',
			b.offlineRedemption
				? `${ms(b.offlineRedemption.p50)} / ${ms(b.offlineRedemption.p95)} (n=${b.offlineRedemption.n})`
				: 'n/a',
			'p95 ≤ 20 ms'
		],
		[
			'cold start with the network off → ready to scan, median (max)',
			b.coldStartOffline ? `${ms(b.coldStartOffline.p50)} (${ms(b.coldStartOffline.max)})` : 'n/a',
			'≤ 1.5 s'
		],
		[
			`${p.events ?? PUSH_EVENTS} queued events pushed: events/s, ratio to raw insert`,
			p.eventsPerSecond
				? `${Math.round(p.eventsPerSecond)} /s, ratio ${p.ratio.toFixed(2)} (to empty copies of the tables: ${p.ratioToEmptyCopies?.toFixed(2) ?? 'n/a'})`
				: 'n/a',
			'ratio ≥ 0.3'
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
		displayRow(b.displayRotation)
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
		...(quick ? { BENCH_SCANS: '10', BENCH_REDEMPTIONS: '10', BENCH_COLD_STARTS: '2' } : {})
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
			chromium: `${chromium.executablePath} (${chromium.source})`
		}
	};

	try {
		/** Runs one in-process task of bench/tasks under Vitest (for the $lib imports). */
		const runTask = (task) =>
			run(
				process.execPath,
				[vitest, 'run', '--config', 'bench/vitest.config.js', `bench/tasks/${task}`],
				files
			);
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
				log(`pushing ${PUSH_EVENTS} events to ${server.baseURL}`);
				results.push = await benchPush(server.baseURL, prepared);
			}
			const browserFigures = only === null || browserGrep !== null;
			if (browserFigures) {
				log('browser figures');
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
				if (existsSync(files.BENCH_BROWSER_JSON))
					results.browser = readJson(files.BENCH_BROWSER_JSON);
			}
		} finally {
			await server.stop();
		}
		if (measures('bundle')) results.kioskBundle = benchKioskBundle();
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
