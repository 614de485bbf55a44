/**
 * Shop mode's closing in real Chromium, on a busy day: 500 stock-tracked items and 2,000
 * movements, written by the kiosk's data layer in process (bench/tasks/shop-closing.task.js) and
 * copied as they are into this kiosk's IndexedDB. Measures, with the API cut off (the kiosk works
 * offline, as at 6 pm with the network gone):
 *   - tap 盘点日结 → the closing screen with every item painted
 *   - tap 完成日结 (all counted) → the day report painted
 */
import { existsSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { KioskPage } from '../../tests/e2e/kiosk/kiosk-page';
import { percentile, readJson, requiredEnv, writeJson } from '../tasks/bench-io.js';

const OPEN_RUNS = 7;

function record(key, value) {
	const path = requiredEnv('BENCH_BROWSER_JSON');
	const results = existsSync(path) ? readJson(path) : {};
	results[key] = value;
	writeJson(path, results);
}

/** Page time of a click on `testId`, then of the UI's mark `markName` after it. */
async function clickUntilMark(page, testId, markName) {
	const clickedAt = await page.evaluate(
		({ testId }) => {
			const started = performance.now();
			/** @type {HTMLElement | null} */ (
				document.querySelector(`[data-testid="${testId}"]`)
			)?.click();
			return started;
		},
		{ testId }
	);
	const handle = await page.waitForFunction(
		({ markName, clickedAt }) =>
			performance
				.getEntriesByName(markName)
				.map((entry) => entry.startTime)
				.find((time) => time > clickedAt) ?? null,
		{ markName, clickedAt },
		{ timeout: 60_000, polling: 50 }
	);
	return /** @type {number} */ (await handle.jsonValue()) - clickedAt;
}

test('shop: open the closing screen and produce the report, 500 items and 2,000 movements', async ({
	page
}) => {
	const dump = readJson(requiredEnv('BENCH_SHOP_DUMP_JSON'));
	// The kiosk works offline here; its seeded device token means nothing to the server.
	await page.route('**/api/**', (route) => route.abort('internetdisconnected'));
	const kiosk = new KioskPage(page);
	await kiosk.open();
	await expect(kiosk.setupCodeInput).toBeVisible();
	await page.evaluate(async (tables) => {
		const db = await new Promise((resolve, reject) => {
			const open = indexedDB.open('credit-shop-kiosk');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const names = Object.keys(tables).filter((name) => db.objectStoreNames.contains(name));
		const tx = db.transaction(names, 'readwrite');
		for (const name of names) {
			const store = tx.objectStore(name);
			store.clear();
			for (const row of tables[name]) store.put(row);
		}
		await new Promise((resolve, reject) => {
			tx.oncomplete = resolve;
			tx.onerror = () => reject(tx.error);
		});
		db.close();
	}, dump.tables);
	await page.reload();
	await kiosk.waitForAttract();

	await kiosk.scanByWedge(dump.staffCard);
	const pad = page.getByTestId('pin-pad');
	await expect(pad).toBeVisible();
	for (const digit of dump.staffPin) {
		await pad.getByRole('button', { name: digit, exact: true }).click();
	}
	await pad.getByTestId('pin-submit').click();
	await expect(page.getByTestId('shop-home')).toBeVisible();

	const openMs = [];
	for (let run = 0; run < OPEN_RUNS; run++) {
		openMs.push(await clickUntilMark(page, 'shop-action-count', 'closing-painted'));
		await expect(page.getByTestId('count-row')).toHaveCount(dump.items);
		await page.getByTestId('shop-back').click();
		await expect(page.getByTestId('shop-home')).toBeVisible();
	}

	await page.getByTestId('shop-action-count').click();
	await expect(page.getByTestId('count-row')).toHaveCount(dump.items);
	await page.evaluate(() => {
		for (const button of document.querySelectorAll('[data-testid="count-match"]')) {
			/** @type {HTMLElement} */ (button).click();
		}
	});
	await expect(page.getByTestId('count-progress')).toContainText(
		`已清点 ${dump.items} / ${dump.items}`
	);
	const reportMs = await clickUntilMark(page, 'count-close', 'report-painted');
	await expect(page.getByTestId('report-line')).toHaveCount(dump.items);

	record('shopClosing', {
		items: dump.items,
		movements: dump.movements,
		openClosing: {
			n: openMs.length,
			p50: percentile(openMs, 0.5),
			max: Math.max(...openMs)
		},
		reportMs,
		note: 'Chromium, IndexedDB seeded with the data layer in process; tap → screen painted (UI marks)'
	});
});
