/**
 * The performance marks the benchmarks read (`bench/browser/*.bench.js`), set from one place:
 * the sessions call these when a screen's state changes, so no screen needs an effect for them.
 * The names are the benchmarks' contract; change them there too.
 */
export type BenchMark =
	| 'qr-decoded'
	| 'redeem-start'
	| 'redeem-committed'
	| 'resident-painted'
	| 'closing-painted'
	| 'day-closed'
	| 'report-painted';

/** Marks now (a commit, a tap accepted). */
export function benchMark(name: BenchMark): void {
	globalThis.performance?.mark(name);
}

/**
 * Marks once the browser has painted what the state just set shows: Svelte updates the DOM in a
 * microtask, the next frame paints it, and a task after that frame comes after the paint.
 */
export function benchMarkAfterPaint(name: BenchMark): void {
	if (typeof requestAnimationFrame === 'undefined') return;
	requestAnimationFrame(() => setTimeout(() => benchMark(name), 0));
}
