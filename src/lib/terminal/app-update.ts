/**
 * Registers the Workbox service worker and applies a waiting update only when it is safe: the
 * kiosk when the counter is idle and the outbox is empty (a reload must never interrupt a
 * resident), the lobby display between two slides.
 */
const CHECK_IDLE_EVERY_MS = 5_000;
const LOOK_FOR_UPDATES_EVERY_MS = 60 * 60 * 1000;

export interface UpdatePolicy {
	/** True when nobody is at the counter and no event waits to be pushed. */
	safeToReload: () => boolean;
	/**
	 * Moments when it may be safe (the display's slide boundaries), besides the periodic look:
	 * the policy calls `check` then, and gets back a function that stops it.
	 */
	safeMoments?: (check: () => void) => () => void;
}

/**
 * Holds a waiting update until the policy says it is safe, then applies it once. Apart from
 * Workbox so the rule can be tested without a service worker.
 */
export class UpdateGate {
	#waiting = false;
	#applying = false;

	constructor(
		private readonly safeToReload: () => boolean,
		private readonly apply: () => void
	) {}

	/** A new version is installed and waits. */
	updateWaiting(): void {
		this.#waiting = true;
		this.check();
	}

	/** Applies the waiting update if there is one and now is safe; at most once. */
	check(): void {
		if (!this.#waiting || this.#applying || !this.safeToReload()) return;
		this.#applying = true;
		this.apply();
	}
}

export async function registerAppUpdates(policy: UpdatePolicy): Promise<() => void> {
	if (!('serviceWorker' in navigator)) return () => {};
	const { Workbox } = await import('workbox-window');
	const workbox = new Workbox('/sw.js', { scope: '/' });
	const gate = new UpdateGate(policy.safeToReload, () => {
		workbox.addEventListener('controlling', () => window.location.reload());
		workbox.messageSkipWaiting();
	});
	const applyWhenSafe = () => gate.check();
	workbox.addEventListener('waiting', () => gate.updateWaiting());

	const idleCheck = setInterval(applyWhenSafe, CHECK_IDLE_EVERY_MS);
	const stopMoments = policy.safeMoments?.(applyWhenSafe);
	const updateCheck = setInterval(() => void workbox.update(), LOOK_FOR_UPDATES_EVERY_MS);
	try {
		await workbox.register();
	} catch (error) {
		// An offline first visit or a private window: the kiosk still works, just not offline.
		console.warn('service worker registration failed', error);
	}
	return () => {
		clearInterval(idleCheck);
		clearInterval(updateCheck);
		stopMoments?.();
	};
}
