/**
 * `node bench/lighthouse.js [--runs=N]`: Lighthouse's performance and accessibility scores of the
 * surfaces a cheap device opens (issue 13 §5), with its default **mobile** preset: a mid-range
 * phone's screen, a 4× slower CPU and a slow 4G network, simulated ("Lantern") from one fast load.
 *
 * The built server starts on a fresh data folder with the demo community (as `npm run demo`),
 * and each page is measured N times (default 3; the median is reported, as Lighthouse advises):
 *   - /kiosk, first load: storage empty, so the counter shows its setup screen (登记码), which is
 *     what a new tablet shows; the service worker is not installed yet.
 *   - /kiosk, enrolled: the same browser enrolled with the demo's printed code first, storage
 *     kept (the kiosk's every-morning start: attract screen, service worker and its cache warm).
 *   - /display, first load (its setup screen), and /admin/login.
 *
 * Prints a table, the top opportunities per page, and writes bench/results/lighthouse.json.
 * Needs a build (`npm run build`) and Chromium (scripts/find-chromium.js).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';
import { requireChromium } from '../scripts/find-chromium.js';
import { writeJson } from './tasks/bench-io.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const runsArgument = process.argv.find((arg) => arg.startsWith('--runs='));
const RUNS = runsArgument ? Number(runsArgument.slice('--runs='.length)) : 3;

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

/** The built server on a fresh DATA_DIR with the demo community; resolves once it answers. */
async function startDemoServer() {
	const port = await freePort();
	const baseURL = `http://127.0.0.1:${port}`;
	const dataDir = mkdtempSync(join(tmpdir(), 'credit-shop-lighthouse-'));
	const child = spawn(process.execPath, [join(ROOT, 'build', 'index.js')], {
		cwd: ROOT,
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: baseURL,
			DATA_DIR: dataDir,
			CREDIT_SHOP_DEMO: '1'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const stop = async () => {
		if (child.exitCode === null) {
			const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
			child.kill('SIGTERM');
			await exited;
		}
		rmSync(dataDir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline && child.exitCode === null) {
		try {
			await fetch(`${baseURL}/kiosk`);
			// The demo's printed block, with the kiosk's enrollment code, follows the first answer.
			await new Promise((resolveWait) => setTimeout(resolveWait, 500));
			return { baseURL, output: () => output, stop };
		} catch {
			await new Promise((resolveWait) => setTimeout(resolveWait, 200));
		}
	}
	await stop();
	throw new Error(`the server did not start:\n${output.slice(-2000)}`);
}

/** Enrolls the kiosk in this browser profile through its own setup screen. */
async function enrollKiosk(port, baseURL, code) {
	const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}` });
	const page = await browser.newPage();
	await page.goto(`${baseURL}/kiosk`);
	const input = await page.waitForSelector('[data-testid="setup-code-input"]');
	await input?.type(code);
	await page.click('[data-testid="setup-submit"]');
	try {
		await page.waitForSelector('[data-testid="attract"]', { timeout: 30_000 });
	} catch (error) {
		const shown = await page.evaluate(() => document.body.innerText.slice(0, 300));
		throw new Error(`the kiosk did not enroll with ${code}; it shows: ${shown}`, { cause: error });
	}
	// The service worker installs and caches the shell, as on a kiosk that ran yesterday.
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
	await page.close();
	await browser.disconnect();
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(port, url, keepStorage) {
	const runs = [];
	for (let run = 0; run < RUNS; run++) {
		const result = await lighthouse(url, {
			port,
			output: 'json',
			logLevel: 'error',
			onlyCategories: ['performance', 'accessibility'],
			disableStorageReset: keepStorage
		});
		if (!result) throw new Error(`lighthouse gave no result for ${url}`);
		runs.push(result.lhr);
	}
	const performance = runs.map((lhr) => Math.round((lhr.categories.performance.score ?? 0) * 100));
	const middle = runs[performance.indexOf(median(performance))];
	const audits = middle.audits;
	const opportunities = Object.values(audits)
		.filter((audit) => audit.details?.type === 'opportunity' && (audit.score ?? 1) < 0.9)
		.sort((a, b) => (b.numericValue ?? 0) - (a.numericValue ?? 0))
		.slice(0, 4)
		.map((audit) => `${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ''}`);
	const failedA11y = middle.categories.accessibility.auditRefs
		.filter((ref) => ref.weight > 0 && audits[ref.id]?.score === 0)
		.map((ref) => ref.id);
	return {
		performance: median(performance),
		performanceRuns: performance,
		accessibility: Math.round((middle.categories.accessibility.score ?? 0) * 100),
		failedAccessibilityAudits: failedA11y,
		fcpMs: Math.round(audits['first-contentful-paint'].numericValue ?? 0),
		lcpMs: Math.round(audits['largest-contentful-paint'].numericValue ?? 0),
		tbtMs: Math.round(audits['total-blocking-time'].numericValue ?? 0),
		cls: Number((audits['cumulative-layout-shift'].numericValue ?? 0).toFixed(3)),
		speedIndexMs: Math.round(audits['speed-index'].numericValue ?? 0),
		bootupMs: Math.round(audits['bootup-time'].numericValue ?? 0),
		unusedJsKiB: Math.round((audits['unused-javascript'].details?.overallSavingsBytes ?? 0) / 1024),
		opportunities
	};
}

if (!existsSync(join(ROOT, 'build', 'index.js'))) {
	console.error('bench/lighthouse: no build; run `npm run build` first');
	process.exit(2);
}
const server = await startDemoServer();
const chrome = await chromeLauncher.launch({
	chromePath: requireChromium().executablePath,
	chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run']
});
const load = loadavg()[0];
const results = {};
try {
	for (const [name, path] of [
		['/kiosk (first load: setup screen)', '/kiosk'],
		['/display (first load: setup screen)', '/display'],
		['/admin/login', '/admin/login']
	]) {
		results[name] = await measure(chrome.port, server.baseURL + path, false);
	}
	const code = /Kiosk enrollment code\s+([\d -]+\d)/.exec(server.output())?.[1]?.replace(/\D/g, '');
	if (code) {
		try {
			await enrollKiosk(chrome.port, server.baseURL, code);
			results['/kiosk (enrolled: attract screen, warm)'] = await measure(
				chrome.port,
				`${server.baseURL}/kiosk`,
				true
			);
		} catch (error) {
			console.warn(`bench/lighthouse: the enrolled kiosk was not measured: ${error.message}`);
		}
	} else {
		console.warn('bench/lighthouse: no kiosk enrollment code in the demo output; skipped');
	}
} finally {
	await chrome.kill();
	await server.stop();
}

const machine = `${cpus().length} cores, load ${load.toFixed(1)} at start`;
console.log(`\nLighthouse ${RUNS}× per page, mobile preset (simulated throttling), ${machine}\n`);
console.log(
	'| page | performance (runs) | accessibility | FCP | LCP | TBT | CLS | Speed Index | JS boot-up | unused JS |'
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [name, r] of Object.entries(results)) {
	console.log(
		`| ${name} | ${r.performance} (${r.performanceRuns.join(', ')}) | ${r.accessibility} | ` +
			`${r.fcpMs} ms | ${r.lcpMs} ms | ${r.tbtMs} ms | ${r.cls} | ${r.speedIndexMs} ms | ` +
			`${r.bootupMs} ms | ${r.unusedJsKiB} KiB |`
	);
}
for (const [name, r] of Object.entries(results)) {
	console.log(`\n${name}:`);
	if (r.failedAccessibilityAudits.length) {
		console.log(`  accessibility audits failed: ${r.failedAccessibilityAudits.join(', ')}`);
	}
	for (const opportunity of r.opportunities) console.log(`  - ${opportunity}`);
}
writeJson(join(ROOT, 'bench', 'results', 'lighthouse.json'), {
	measuredAt: new Date().toISOString(),
	machine,
	runs: RUNS,
	results
});
