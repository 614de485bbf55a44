/** Counter settings a deployment can change without a build: `?idle=SECONDS` or a meta tag. */
export interface KioskSettings {
	idleMs: number;
}

const DEFAULT_IDLE_SECONDS = 60;
const MIN_IDLE_SECONDS = 5;
const MAX_IDLE_SECONDS = 3600;

export function readIdleSeconds(query: string | null, meta: string | null): number {
	for (const raw of [query, meta]) {
		if (raw === null || !/^\d+$/.test(raw.trim())) continue;
		const seconds = Number(raw.trim());
		return Math.min(MAX_IDLE_SECONDS, Math.max(MIN_IDLE_SECONDS, seconds));
	}
	return DEFAULT_IDLE_SECONDS;
}

export function readKioskSettings(url: URL, doc: Document): KioskSettings {
	const meta = doc.querySelector('meta[name="kiosk-idle-seconds"]')?.getAttribute('content');
	return { idleMs: readIdleSeconds(url.searchParams.get('idle'), meta ?? null) * 1000 };
}
