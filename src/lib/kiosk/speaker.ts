import type { PromptTone, SpokenPrompt } from './spoken-prompts';

/** Where the counter's spoken prompts go: the browser's voice or chime, or a test's recorder. */
export interface Speaker {
	/** Says the prompt at `volume` (0–1), cutting off whatever was still being said. */
	say(prompt: SpokenPrompt, volume: number): void;
	/** Falls silent now (voice turned off). */
	stop(): void;
	/** Called from a tap or key press: lets the browser play sound from now on. */
	unlock(): void;
	/** True when sentences are spoken; false when they are only chimed (no Mandarin voice). */
	speaksMandarin(): boolean;
}

/** The parts of `window` the browser speaker uses; any may be missing on a given device. */
export interface SoundDevice {
	speechSynthesis?: SpeechSynthesis;
	SpeechSynthesisUtterance?: typeof SpeechSynthesisUtterance;
	AudioContext?: typeof AudioContext;
}

/** Slightly slower than the default: the listeners are mostly elderly. */
const SPEECH_RATE = 0.9;

/**
 * Frequency (Hz), start and length (s) of each note: rising for good, falling and low for refused,
 * the same note twice for a question.
 */
const CHIMES: Record<PromptTone, readonly (readonly [number, number, number])[]> = {
	good: [
		[660, 0, 0.14],
		[880, 0.15, 0.22]
	],
	refused: [
		[330, 0, 0.18],
		[220, 0.2, 0.32]
	],
	question: [
		[523, 0, 0.12],
		[523, 0.18, 0.12]
	]
};
/** Oscillators at full scale are harsh on a kiosk's small speaker. */
const CHIME_PEAK = 0.35;

/**
 * A Mandarin voice the device has: zh-CN first, then another Mandarin one; a voice on the device
 * itself before a network one (a kiosk may be offline for days). Cantonese (zh-HK) does not count.
 */
export function pickMandarinVoice(
	voices: readonly SpeechSynthesisVoice[]
): SpeechSynthesisVoice | null {
	const rank = (voice: SpeechSynthesisVoice): number => {
		const lang = voice.lang.replace('_', '-').toLowerCase();
		const local = voice.localService ? 0 : 1;
		if (lang === 'zh-cn' || lang.startsWith('zh-hans') || lang.startsWith('cmn')) return local;
		if (lang === 'zh' || lang === 'zh-tw' || lang === 'zh-sg') return 2 + local;
		return -1;
	};
	let best: SpeechSynthesisVoice | null = null;
	for (const voice of voices) {
		const score = rank(voice);
		if (score >= 0 && (best === null || score < rank(best))) best = voice;
	}
	return best;
}

/**
 * Speech through the Web Speech API with a Mandarin voice; where the device has none (or no speech
 * at all, or the voice fails), a short WebAudio chime, so every scan is heard.
 */
export function createBrowserSpeaker(device: SoundDevice = window): Speaker {
	const synth = device.speechSynthesis;
	let voice: SpeechSynthesisVoice | null = null;
	let audio: AudioContext | null = null;
	let sounding: OscillatorNode[] = [];

	// Chromium loads its voices after the page: the list is empty until `voiceschanged`.
	const readVoices = () => (voice = pickMandarinVoice(synth?.getVoices() ?? []));
	readVoices();
	synth?.addEventListener('voiceschanged', readVoices);

	function audioContext(): AudioContext | null {
		if (audio === null && device.AudioContext) audio = new device.AudioContext();
		return audio;
	}

	function stopChime(): void {
		for (const oscillator of sounding) {
			try {
				oscillator.stop();
			} catch {
				// Already finished.
			}
		}
		sounding = [];
	}

	function chime(tone: PromptTone, volume: number): void {
		const context = audioContext();
		if (!context) return;
		if (context.state === 'suspended') void context.resume().catch(() => undefined);
		const start = context.currentTime + 0.02;
		for (const [frequency, offset, length] of CHIMES[tone]) {
			const oscillator = context.createOscillator();
			const gain = context.createGain();
			oscillator.type = 'sine';
			oscillator.frequency.value = frequency;
			// A quick rise and a soft fall: no click at either end.
			gain.gain.setValueAtTime(0.0001, start + offset);
			gain.gain.exponentialRampToValueAtTime(CHIME_PEAK * volume, start + offset + 0.02);
			gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + length);
			oscillator.connect(gain).connect(context.destination);
			oscillator.start(start + offset);
			oscillator.stop(start + offset + length + 0.02);
			sounding.push(oscillator);
		}
	}

	function stop(): void {
		// A fast second scan must not queue behind the first sentence.
		synth?.cancel();
		stopChime();
	}

	return {
		say(prompt, volume) {
			stop();
			if (!voice) readVoices();
			const Utterance = device.SpeechSynthesisUtterance;
			if (!synth || !Utterance || !voice) return chime(prompt.tone, volume);
			const utterance = new Utterance(prompt.text);
			utterance.lang = 'zh-CN';
			utterance.voice = voice;
			utterance.volume = volume;
			utterance.rate = SPEECH_RATE;
			// A network voice with the network gone: the chime still answers the scan.
			utterance.addEventListener('error', (event) => {
				if (event.error !== 'interrupted' && event.error !== 'canceled') {
					chime(prompt.tone, volume);
				}
			});
			synth.speak(utterance);
		},
		stop,
		speaksMandarin() {
			if (!voice) readVoices();
			return Boolean(synth && device.SpeechSynthesisUtterance && voice);
		},
		unlock() {
			const context = audioContext();
			if (context?.state === 'suspended') void context.resume().catch(() => undefined);
		}
	};
}
