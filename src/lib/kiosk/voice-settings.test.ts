import { describe, expect, it } from 'vitest';
import {
	DEFAULT_VOICE_SETTINGS,
	loadVoiceSettings,
	parseVoiceSettings,
	saveVoiceSettings,
	VOICE_STORAGE_KEY,
	volumeLevel,
	type SettingsStorage
} from './voice-settings';

function memoryStorage(): SettingsStorage & { values: Map<string, string> } {
	const values = new Map<string, string>();
	return {
		values,
		getItem: (key) => values.get(key) ?? null,
		setItem: (key, value) => void values.set(key, value)
	};
}

const refusingStorage: SettingsStorage = {
	getItem: () => {
		throw new DOMException('denied', 'SecurityError');
	},
	setItem: () => {
		throw new DOMException('full', 'QuotaExceededError');
	}
};

describe('voice settings', () => {
	it('are on, at medium volume, on a new kiosk', () => {
		expect(loadVoiceSettings(memoryStorage())).toEqual({ enabled: true, volume: 'medium' });
		expect(DEFAULT_VOICE_SETTINGS.enabled).toBe(true);
	});

	it('are kept on the device across a restart', () => {
		const storage = memoryStorage();
		expect(saveVoiceSettings(storage, { enabled: false, volume: 'high' })).toBe(true);
		expect(loadVoiceSettings(storage)).toEqual({ enabled: false, volume: 'high' });
		expect(storage.values.has(VOICE_STORAGE_KEY)).toBe(true);
	});

	it('fall back to the default, field by field, for anything unreadable', () => {
		expect(parseVoiceSettings('not json')).toEqual(DEFAULT_VOICE_SETTINGS);
		expect(parseVoiceSettings('42')).toEqual(DEFAULT_VOICE_SETTINGS);
		expect(parseVoiceSettings('{"enabled":"no","volume":"loud"}')).toEqual(DEFAULT_VOICE_SETTINGS);
		expect(parseVoiceSettings('{"volume":"low"}')).toEqual({ enabled: true, volume: 'low' });
		expect(parseVoiceSettings('{"enabled":false}')).toEqual({ enabled: false, volume: 'medium' });
	});

	it('still work, voice on, where the browser refuses storage', () => {
		expect(loadVoiceSettings(refusingStorage)).toEqual(DEFAULT_VOICE_SETTINGS);
		expect(loadVoiceSettings(null)).toEqual(DEFAULT_VOICE_SETTINGS);
		expect(saveVoiceSettings(refusingStorage, { enabled: false, volume: 'low' })).toBe(false);
		expect(saveVoiceSettings(null, DEFAULT_VOICE_SETTINGS)).toBe(false);
	});

	it('map 低/中/高 to rising levels within 0–1', () => {
		expect(volumeLevel('low')).toBeLessThan(volumeLevel('medium'));
		expect(volumeLevel('medium')).toBeLessThan(volumeLevel('high'));
		expect(volumeLevel('high')).toBe(1);
	});
});
