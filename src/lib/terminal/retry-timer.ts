/**
 * When a terminal tries the server again: the kiosk's sync pass and the display's feed check
 * both wait their healthy interval after a success, and back off with jitter after failures.
 */

export interface RetryPolicy {
	/** The wait after a success. */
	healthyMs: number;
	/** The ceiling after the first failure; it doubles with each further one. */
	baseMs: number;
	maxMs: number;
	random?: () => number;
}

/** Delay before the next try after `failures` failures in a row: doubling, capped, jittered. */
export function backoffDelay(
	failures: number,
	random: () => number = Math.random,
	baseMs = 2_000,
	maxMs = 5 * 60_000
): number {
	const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
	// "Equal jitter": at least half the ceiling, so a fleet of terminals does not retry in step.
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The wait before the next try, given the failures in a row so far (0 after a success). */
export function nextTryDelay(failures: number, policy: RetryPolicy): number {
	if (failures === 0) return policy.healthyMs;
	return backoffDelay(failures, policy.random, policy.baseMs, policy.maxMs);
}
