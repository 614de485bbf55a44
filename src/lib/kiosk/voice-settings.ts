/**
 * 语音播报 on this counter: on or off, and how loud. Staff change it in shop mode; it is kept on
 * the device (localStorage), so it survives a reload and the network being gone.
 */
export type VoiceVolume = 'low' | 'medium' | 'high';

export interface VoiceSettings {
	enabled: boolean;
	volume: VoiceVolume;
}

export const VOICE_VOLUMES: readonly VoiceVolume[] = ['low', 'medium', 'high'];

/** On by default: a resident who cannot read the screen cannot find a setting either. */
export const DEFAULT_VOICE_SETTINGS: VoiceSettings = { enabled: true, volume: 'medium' };

/** Web Speech and WebAudio both take 0–1; 低 is still clearly audible in a quiet shop. */
const VOLUME_LEVELS: Record<VoiceVolume, number> = { low: 0.4, medium: 0.7, high: 1 };

export const VOICE_STORAGE_KEY = 'credit-shop.kiosk.voice';

/** The part of `Storage` this needs, so tests can hand in a plain map. */
export type SettingsStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function volumeLevel(volume: VoiceVolume): number {
	return VOLUME_LEVELS[volume];
}

/** What was saved, field by field; anything missing or unknown falls back to the default. */
export function parseVoiceSettings(raw: string | null): VoiceSettings {
	if (raw === null) return DEFAULT_VOICE_SETTINGS;
	let saved: unknown;
	try {
		saved = JSON.parse(raw);
	} catch {
		return DEFAULT_VOICE_SETTINGS;
	}
	if (typeof saved !== 'object' || saved === null) return DEFAULT_VOICE_SETTINGS;
	const { enabled, volume } = saved as Record<string, unknown>;
	return {
		enabled: typeof enabled === 'boolean' ? enabled : DEFAULT_VOICE_SETTINGS.enabled,
		volume: VOICE_VOLUMES.find((level) => level === volume) ?? DEFAULT_VOICE_SETTINGS.volume
	};
}

export function loadVoiceSettings(storage: SettingsStorage | null): VoiceSettings {
	try {
		return parseVoiceSettings(storage?.getItem(VOICE_STORAGE_KEY) ?? null);
	} catch {
		// Storage refused (private window): the default, which is voice on.
		return DEFAULT_VOICE_SETTINGS;
	}
}

/** Returns false when the device would not keep it (it still applies until the next start). */
export function saveVoiceSettings(
	storage: SettingsStorage | null,
	settings: VoiceSettings
): boolean {
	try {
		if (!storage) return false;
		storage.setItem(VOICE_STORAGE_KEY, JSON.stringify(settings));
		return true;
	} catch {
		return false;
	}
}

/** This browser's localStorage, or null where reading it throws (storage turned off). */
export function deviceStorage(): SettingsStorage | null {
	try {
		return window.localStorage;
	} catch {
		return null;
	}
}
