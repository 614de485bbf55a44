/**
 * `node bench/scanner-decode.js` (or `npm run bench -- --only=scanner`): which way of reading a
 * 积分卡 from the camera reads hard cards, and how long a decode takes, in real Chromium.
 *
 * Real card texts (signed with a fixed Ed25519 key) are drawn as a 1280×720 camera frame under
 * each condition of the README's table, five placements each (seeded, the same every run), and
 * decoded three times by each approach (bench/scanner/page.js). Prints the table and writes
 * bench/results/scanner-decode.{json,md}. `--quick` decodes two placements once.
 *
 * The app no longer depends on html5-qrcode; its columns are measured when it is installed
 * (`npm install --no-save html5-qrcode@2.3.8`) and left out otherwise.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { CHROMIUM_ARGS, requireChromium } from '../scripts/find-chromium.js';
import { percentile, writeJson } from './tasks/bench-io.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAGE_DIR = join(ROOT, 'bench', '.tmp', 'scanner-page');
const SAMPLES_DIR = join(ROOT, 'bench', '.tmp', 'scanner-frames');
const RESULTS = join(ROOT, 'bench', 'results');
const quick = process.argv.includes('--quick');
const VARIANTS = quick ? 2 : 5;
const HTML5_QRCODE_INSTALLED = (() => {
	try {
		createRequire(import.meta.url).resolve('html5-qrcode');
		return true;
	} catch {
		return false;
	}
})();
const REPEATS = quick ? 1 : 3;

/** A fixed key (its 32-byte seed), so the card texts and frames are the same on every run. */
const SEED = Buffer.alloc(32, 7);
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const signingKey = createPrivateKey({
	key: Buffer.concat([PKCS8_ED25519_PREFIX, SEED]),
	format: 'der',
	type: 'pkcs8'
});

/** Card texts in the format of src/lib/domain/credential.ts: CS1.R.<community>.<resident>.<serial>.<sig>. */
function residentCard(communityId, residentId, serial) {
	const body = ['CS1', 'R', communityId, residentId, serial].map((part) =>
		typeof part === 'number' ? part.toString(36) : part
	);
	const text = body.join('.');
	return `${text}.${sign(null, Buffer.from(text), signingKey).toString('base64url')}`;
}

const CARDS = [residentCard(1, 1, 1), residentCard(1, 4821, 2), residentCard(37, 60_466_175, 1295)];

const TYPES = {
	'.html': 'text/html',
	'.js': 'text/javascript',
	'.wasm': 'application/wasm'
};

function serve(dir) {
	const server = createServer((request, response) => {
		const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
		const file = join(dir, path === '/' ? 'index.html' : path);
		if (!file.startsWith(dir) || !existsSync(file)) {
			response.writeHead(404).end();
			return;
		}
		response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
		response.end(readFileSync(file));
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function summarise(rows) {
	return rows.map(({ condition, approach, decoded, frames, times }) => ({
		condition,
		approach,
		decoded,
		frames,
		medianMs: percentile(times, 0.5),
		p95Ms: percentile(times, 0.95)
	}));
}

function markdownTable(summary, machine) {
	const approaches = [...new Set(summary.map((row) => row.approach))];
	const conditions = [...new Set(summary.map((row) => row.condition))];
	const cell = (row) =>
		row.approach.startsWith('(')
			? `${row.medianMs.toFixed(0)} / ${row.p95Ms.toFixed(0)}`
			: `${row.decoded}/${row.frames} · ${row.medianMs.toFixed(0)} / ${row.p95Ms.toFixed(0)}`;
	const lines = [
		`Frames decoded (of ${VARIANTS} placements) · median / p95 ms per decode; ${machine}`,
		'',
		`| condition | ${approaches.join(' | ')} |`,
		`|---|${approaches.map(() => '---').join('|')}|`
	];
	for (const condition of conditions) {
		const cells = approaches.map((approach) =>
			cell(summary.find((row) => row.condition === condition && row.approach === approach))
		);
		lines.push(`| ${condition} | ${cells.join(' | ')} |`);
	}
	return lines.join('\n');
}

async function main() {
	console.log('scanner bench: building the page…');
	if (!HTML5_QRCODE_INSTALLED)
		console.log('scanner bench: html5-qrcode is not installed, left out');
	await build({
		root: join(ROOT, 'bench', 'scanner'),
		base: './',
		logLevel: 'warn',
		configFile: false,
		resolve: {
			alias: HTML5_QRCODE_INSTALLED
				? {}
				: { 'html5-qrcode': join(ROOT, 'bench', 'scanner', 'no-html5-qrcode.js') }
		},
		build: { outDir: PAGE_DIR, emptyOutDir: true, assetsInlineLimit: 0 }
	});
	const server = await serve(PAGE_DIR);
	const { port } = server.address();
	const browser = await chromium.launch({
		executablePath: requireChromium().executablePath,
		args: CHROMIUM_ARGS
	});
	try {
		const page = await browser.newPage();
		page.on('pageerror', (error) => console.error('page error:', error.message));
		await page.goto(`http://127.0.0.1:${port}/`);
		await page.waitForFunction(() => window.scannerBenchReady === true);
		const loadBefore = loadavg()[0];
		console.log(`scanner bench: decoding (${VARIANTS} placements × ${REPEATS})…`);
		const { rows, samples } = await page.evaluate((config) => window.runScannerBench(config), {
			cards: CARDS,
			variants: VARIANTS,
			repeats: REPEATS
		});
		const loadAfter = loadavg()[0];
		mkdirSync(SAMPLES_DIR, { recursive: true });
		for (const [condition, dataUrl] of Object.entries(samples)) {
			const name = condition.replace(/[^a-z0-9]+/gi, '-');
			writeFileSync(join(SAMPLES_DIR, `${name}.png`), Buffer.from(dataUrl.split(',')[1], 'base64'));
		}
		const summary = summarise(rows);
		const machine =
			`${cpus().length} cores (${cpus()[0]?.model.trim()}), Chromium ${browser.version()}, ` +
			`load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`;
		const table = markdownTable(summary, machine);
		console.log(`\n${table}\n`);
		console.log(`scanner bench: sample frames in ${SAMPLES_DIR}`);
		if (!quick) {
			writeJson(join(RESULTS, 'scanner-decode.json'), {
				measuredAt: new Date().toISOString(),
				machine,
				variants: VARIANTS,
				repeats: REPEATS,
				cards: CARDS.length,
				summary
			});
			writeFileSync(join(RESULTS, 'scanner-decode.md'), `${table}\n`);
		}
	} finally {
		await browser.close();
		server.close();
	}
}

await main();
