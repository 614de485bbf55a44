import type { Page } from '@playwright/test';

/** One `speechSynthesis.speak` call as the kiosk made it. */
export interface SpokenUtterance {
	text: string;
	lang: string;
	volume: number;
}

interface VoiceRecord {
	spoken: SpokenUtterance[];
	/** Frequencies of the chime's oscillators, in the order they were started. */
	tones: number[];
}

declare global {
	interface Window {
		__voiceRecord?: VoiceRecord;
	}
}

/**
 * Runs in the page before its scripts: records what the kiosk says and chimes instead of playing
 * it. With `mandarin`, `getVoices()` offers a zh-CN voice (a test machine has none), else only an
 * English one. Must stay self-contained (it is serialised).
 */
function recordVoice({ mandarin }: { mandarin: boolean }): void {
	const record: VoiceRecord = { spoken: [], tones: [] };
	window.__voiceRecord = record;
	const voice = (lang: string, name: string) => ({
		lang,
		name,
		voiceURI: name,
		localService: true,
		default: false
	});
	const voices = mandarin
		? [voice('en-US', 'English'), voice('zh-CN', '普通话')]
		: [voice('en-US', 'English')];
	const synth = window.speechSynthesis;
	synth.getVoices = () => voices as unknown as SpeechSynthesisVoice[];
	synth.speak = (utterance) => {
		// The utterance keeps its volume as a 32-bit float (0.7 reads back as 0.699999988).
		const volume = Math.round(utterance.volume * 100) / 100;
		record.spoken.push({ text: utterance.text, lang: utterance.lang, volume });
	};
	// The browser checks that a voice is one of its own; these stand-ins are plain objects.
	Object.defineProperty(SpeechSynthesisUtterance.prototype, 'voice', {
		configurable: true,
		get(this: { recordedVoice?: unknown }) {
			return this.recordedVoice ?? null;
		},
		set(this: { recordedVoice?: unknown }, value: unknown) {
			this.recordedVoice = value;
		}
	});
	const start = OscillatorNode.prototype.start;
	OscillatorNode.prototype.start = function (this: OscillatorNode, when?: number) {
		record.tones.push(this.frequency.value);
		start.call(this, when);
	};
}

/** What the kiosk has said and chimed since the page started (or since `clear`). */
export class VoiceRecorder {
	constructor(readonly page: Page) {}

	static async install(page: Page, options: { mandarin: boolean }): Promise<VoiceRecorder> {
		await page.addInitScript(recordVoice, options);
		return new VoiceRecorder(page);
	}

	async spoken(): Promise<SpokenUtterance[]> {
		return this.page.evaluate(() => window.__voiceRecord?.spoken ?? []);
	}

	async spokenTexts(): Promise<string[]> {
		return (await this.spoken()).map((utterance) => utterance.text);
	}

	async tones(): Promise<number[]> {
		return this.page.evaluate(() => window.__voiceRecord?.tones ?? []);
	}

	async clear(): Promise<void> {
		await this.page.evaluate(() => {
			const record = window.__voiceRecord;
			if (!record) return;
			record.spoken.length = 0;
			record.tones.length = 0;
		});
	}
}
