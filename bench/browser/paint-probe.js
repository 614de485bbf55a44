/**
 * In-page timing for the benchmarks, installed before the app's own scripts: when each screen
 * (by its data-testid) enters the DOM, and the start of the next frame after that, which is when
 * it is painted. Also when `confirm-yes` is clicked. Times are the page's `performance.now()`.
 */
export function installPaintProbe() {
	const watched = ['attract', 'resident-panel', 'success'];
	const present = new Set();
	const probe = { appeared: {}, confirmClickedAt: null, enterAt: null };
	// @ts-expect-error -- a test-only global
	window.__benchProbe = probe;
	const check = () => {
		for (const testId of watched) {
			const isThere = document.querySelector(`[data-testid="${testId}"]`) !== null;
			if (isThere && !present.has(testId)) {
				present.add(testId);
				const inserted = performance.now();
				requestAnimationFrame((frameStart) => {
					(probe.appeared[testId] ??= []).push({
						inserted,
						painted: Math.max(frameStart, inserted)
					});
				});
			} else if (!isThere) {
				present.delete(testId);
			}
		}
	};
	new MutationObserver(check).observe(document, { childList: true, subtree: true });
	// Registered before the app's own listeners, so it sees a wedge scan's Enter first.
	window.addEventListener(
		'keydown',
		(event) => {
			if (event.key === 'Enter') probe.enterAt = performance.now();
		},
		true
	);
	document.addEventListener(
		'click',
		(event) => {
			const target = event.target;
			if (target instanceof Element && target.closest('[data-testid="confirm-yes"]')) {
				probe.confirmClickedAt = performance.now();
			}
		},
		true
	);
}

/**
 * Waits until `testId` was painted after page time `after`; returns that paint time, or the
 * UI's own performance mark `markName` when the UI sets one after `after`. The probe stamps the
 * times itself, so this only collects them: it polls on a timer, not every frame, since polling
 * by requestAnimationFrame would make the page render a frame and run the poll on every vsync
 * while the very work being timed runs on the same main thread.
 * @param {import('@playwright/test').Page} page
 * @param {string} testId
 * @param {number} after
 * @param {string | null} markName
 * @returns {Promise<{ painted: number, mark: number | null }>}
 */
export async function waitForPaint(page, testId, after, markName = null) {
	const handle = await page.waitForFunction(
		({ testId, after, markName }) => {
			// @ts-expect-error -- a test-only global
			const entries = window.__benchProbe?.appeared[testId] ?? [];
			const entry = entries.find((e) => e.inserted >= after);
			if (!entry) return null;
			const mark = markName
				? performance
						.getEntriesByName(markName, 'mark')
						.map((m) => m.startTime)
						.find((t) => t >= after)
				: undefined;
			return { painted: entry.painted, mark: mark ?? null };
		},
		{ testId, after, markName },
		{ timeout: 30_000, polling: 50 }
	);
	return /** @type {{ painted: number, mark: number | null }} */ (await handle.jsonValue());
}
