/**
 * Counter settings a deployment can change without a build: open `/kiosk?idle=SECONDS` once, or
 * put `<meta name="kiosk-idle-seconds">` in the page. A setting from the address is remembered
 * on the device and taken out of the address, so the service worker's cached `/kiosk` still
 * answers a reload with the network gone.
 */
export interface KioskSettings {
	idleMs: number;
	/** The address without the settings, to put in place of the current one; null if unchanged. */
	cleanAddress: string | null;
}

const DEFAULT_IDLE_SECONDS = 60;
const MIN_IDLE_SECONDS = 5;
const MAX_IDLE_SECONDS = 3600;
const IDLE_STORAGE_KEY = 'credit-shop.kiosk.idle-seconds';

function parseIdleSeconds(raw: string | null | undefined): number | null {
	if (raw === null || raw === undefined || !/^\d+$/.test(raw.trim())) return null;
	return Math.min(MAX_IDLE_SECONDS, Math.max(MIN_IDLE_SECONDS, Number(raw.trim())));
}

/** The first usable value wins: address, then remembered, then meta, then a minute. */
export function readIdleSeconds(...sources: (string | null | undefined)[]): number {
	for (const raw of sources) {
		const seconds = parseIdleSeconds(raw);
		if (seconds !== null) return seconds;
	}
	return DEFAULT_IDLE_SECONDS;
}

export function readKioskSettings(win: Window = window): KioskSettings {
	const url = new URL(win.location.href);
	const fromAddress = url.searchParams.get('idle');
	const meta = win.document
		.querySelector('meta[name="kiosk-idle-seconds"]')
		?.getAttribute('content');
	let remembered: string | null = null;
	try {
		remembered = win.localStorage.getItem(IDLE_STORAGE_KEY);
		if (parseIdleSeconds(fromAddress) !== null) {
			win.localStorage.setItem(IDLE_STORAGE_KEY, String(parseIdleSeconds(fromAddress)));
		}
	} catch {
		// Storage refused (private window): the address still counts for this visit.
	}
	let cleanAddress: string | null = null;
	if (fromAddress !== null) {
		url.searchParams.delete('idle');
		cleanAddress = url.pathname + url.search + url.hash;
	}
	return { idleMs: readIdleSeconds(fromAddress, remembered, meta) * 1000, cleanAddress };
}
