/**
 * Keeps the screen on (the counter, the lobby TV). The browser drops the lock whenever the page is hidden, so it is
 * asked for again each time the page becomes visible.
 */
export function keepScreenAwake(): () => void {
	if (!('wakeLock' in navigator)) return () => {};
	let lock: WakeLockSentinel | null = null;
	let stopped = false;

	const request = async () => {
		if (stopped || document.visibilityState !== 'visible' || (lock && !lock.released)) return;
		try {
			lock = await navigator.wakeLock.request('screen');
		} catch {
			// Refused (battery saver, no user gesture yet): try again on the next visibility change.
		}
	};
	const onVisibility = () => void request();
	document.addEventListener('visibilitychange', onVisibility);
	// Some browsers want a user gesture first.
	document.addEventListener('pointerdown', onVisibility, { passive: true });
	void request();
	return () => {
		stopped = true;
		document.removeEventListener('visibilitychange', onVisibility);
		document.removeEventListener('pointerdown', onVisibility);
		void lock?.release();
	};
}
