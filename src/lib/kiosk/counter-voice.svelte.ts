import type { Speaker } from './speaker';
import { spokenPrompt, type CounterMoment } from './spoken-prompts';
import {
	DEFAULT_VOICE_SETTINGS,
	loadVoiceSettings,
	saveVoiceSettings,
	volumeLevel,
	type SettingsStorage,
	type VoiceSettings,
	type VoiceVolume
} from './voice-settings';

export interface CounterVoiceOptions {
	speaker: Speaker;
	/** Where the setting is kept on the device; null when the browser gives no storage. */
	storage: SettingsStorage | null;
}

/** What staff hear on 试听: a made-up balance, never a resident's. */
const PREVIEW_MOMENT: CounterMoment = { kind: 'card_read', balance: 120 };

/**
 * The counter's voice: says each counter moment once, in Mandarin or as a chime, as the kiosk's
 * 语音播报 setting allows. The counter session calls `announce` from its actions (a scan, a tap,
 * a redemption), never from rendering, so a re-render says nothing.
 */
export class CounterVoice {
	readonly #speaker: Speaker;
	readonly #storage: SettingsStorage | null;
	#settings = $state.raw<VoiceSettings>(DEFAULT_VOICE_SETTINGS);
	/** False after the device refused to keep a change (it still applies until a restart). */
	#saved = $state(true);

	constructor(options: CounterVoiceOptions) {
		this.#speaker = options.speaker;
		this.#storage = options.storage;
		this.#settings = loadVoiceSettings(options.storage);
	}

	get settings(): VoiceSettings {
		return this.#settings;
	}
	get saved(): boolean {
		return this.#saved;
	}

	/** Whether this device says the sentences, or only chimes (staff are told which). */
	speaksMandarin(): boolean {
		return this.#speaker.speaksMandarin();
	}

	announce(moment: CounterMoment): void {
		const { enabled, volume } = this.#settings;
		if (!enabled) return;
		const prompt = spokenPrompt(moment);
		if (!prompt) return;
		try {
			this.#speaker.say(prompt, volumeLevel(volume));
		} catch {
			// A sound problem never gets in the way of a scan or a redemption.
		}
	}

	setEnabled(enabled: boolean): void {
		this.#change({ ...this.#settings, enabled });
		if (!enabled) this.#speaker.stop();
	}

	/** A new volume is heard at once, so staff know what they chose. */
	setVolume(volume: VoiceVolume): void {
		this.#change({ ...this.#settings, volume });
		this.preview();
	}

	/** 试听: a sample greeting at the chosen volume. */
	preview(): void {
		this.announce(PREVIEW_MOMENT);
	}

	/** From the first tap or key press: Chromium plays no sound before one (see README). */
	unlock(): void {
		this.#speaker.unlock();
	}

	#change(settings: VoiceSettings): void {
		this.#settings = settings;
		this.#saved = saveVoiceSettings(this.#storage, settings);
	}
}
