/**
 * Display settings a deployment or a test can change without a build: `/display?speed=10` plays
 * every slide ten times faster, `/display?check=5` asks the server for new content every five
 * seconds. A setting from the address is remembered on the device and taken out of the address,
 * so that the service worker's cached `/display` still answers a reload with the network gone.
 * `?speed=1` and `?check=60` put the defaults back.
 */
export interface DisplaySettings {
	speed: number;
	checkEveryMs: number;
	/** The address without the settings, to put in place of the current one; null if unchanged. */
	cleanAddress: string | null;
}

const SETTINGS = {
	speed: { key: 'credit-shop.display.speed', min: 1, max: 1000, fallback: 1 },
	check: { key: 'credit-shop.display.check-seconds', min: 2, max: 3600, fallback: 60 }
} as const;

function parseSetting(raw: string | null | undefined, name: keyof typeof SETTINGS): number | null {
	if (raw === null || raw === undefined || !/^\d+(\.\d+)?$/.test(raw.trim())) return null;
	const { min, max } = SETTINGS[name];
	return Math.min(max, Math.max(min, Number(raw.trim())));
}

function readSetting(url: URL, storage: Storage | null, name: keyof typeof SETTINGS): number {
	const fromAddress = parseSetting(url.searchParams.get(name), name);
	const { key, fallback } = SETTINGS[name];
	try {
		if (fromAddress !== null) storage?.setItem(key, String(fromAddress));
		return fromAddress ?? parseSetting(storage?.getItem(key), name) ?? fallback;
	} catch {
		// Storage refused (private window): the address still counts for this visit.
		return fromAddress ?? fallback;
	}
}

export function readDisplaySettings(win: Window = window): DisplaySettings {
	const url = new URL(win.location.href);
	let storage: Storage | null;
	try {
		storage = win.localStorage;
	} catch {
		storage = null;
	}
	const speed = readSetting(url, storage, 'speed');
	const checkSeconds = readSetting(url, storage, 'check');
	let cleanAddress: string | null = null;
	if (url.searchParams.has('speed') || url.searchParams.has('check')) {
		url.searchParams.delete('speed');
		url.searchParams.delete('check');
		cleanAddress = url.pathname + url.search + url.hash;
	}
	return { speed, checkEveryMs: checkSeconds * 1000, cleanAddress };
}
