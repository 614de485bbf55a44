import { describe, expect, it } from 'vitest';
import { createBrowserSpeaker, pickMandarinVoice, type SoundDevice } from './speaker';
import type { SpokenPrompt } from './spoken-prompts';

function voice(lang: string, localService = true, name = lang): SpeechSynthesisVoice {
	return { lang, localService, name, voiceURI: name, default: false };
}

/** The calls a browser's speech and audio would see, in order. */
type Call =
	| { call: 'cancel' }
	| { call: 'speak'; text: string; lang: string; volume: number; voice: string | null }
	| { call: 'tone'; frequency: number }
	| { call: 'tone-stop' }
	| { call: 'resume' };

/** A stand-in for `window` with speech (voices that may arrive late) and WebAudio. */
function fakeDevice(options: { voices?: SpeechSynthesisVoice[]; speech?: boolean } = {}) {
	const calls: Call[] = [];
	let voices = options.voices ?? [];
	const voicesChanged: (() => void)[] = [];
	const spoken: FakeUtterance[] = [];

	class FakeUtterance extends EventTarget {
		lang = '';
		volume = 1;
		rate = 1;
		voice: SpeechSynthesisVoice | null = null;
		constructor(readonly text: string) {
			super();
		}
		fail(error: string): void {
			this.dispatchEvent(Object.assign(new Event('error'), { error }));
		}
	}
	const synth = {
		getVoices: () => voices,
		speak: (utterance: FakeUtterance) => {
			spoken.push(utterance);
			const { text, lang, volume } = utterance;
			calls.push({ call: 'speak', text, lang, volume, voice: utterance.voice?.name ?? null });
		},
		cancel: () => calls.push({ call: 'cancel' }),
		addEventListener: (_type: string, listener: () => void) => voicesChanged.push(listener)
	};
	class FakeAudioContext {
		state = 'suspended';
		currentTime = 0;
		destination = {};
		async resume() {
			calls.push({ call: 'resume' });
			this.state = 'running';
		}
		createGain() {
			const param = { setValueAtTime() {}, exponentialRampToValueAtTime() {} };
			return { gain: param, connect: (next: unknown) => next };
		}
		createOscillator() {
			const oscillator = {
				type: 'sine',
				frequency: { value: 0 },
				connect: (next: unknown) => next,
				start: () => calls.push({ call: 'tone', frequency: oscillator.frequency.value }),
				stop: () => undefined
			};
			return oscillator;
		}
	}
	const device = {
		...(options.speech === false
			? {}
			: { speechSynthesis: synth, SpeechSynthesisUtterance: FakeUtterance }),
		AudioContext: FakeAudioContext
	} as unknown as SoundDevice;
	return {
		device,
		calls,
		spoken,
		/** Chromium's voices arriving after the page has started. */
		loadVoices(next: SpeechSynthesisVoice[]) {
			voices = next;
			for (const listener of voicesChanged) listener();
		}
	};
}

const greeting: SpokenPrompt = { text: '您好，您有 120 积分', tone: 'good' };
const refused: SpokenPrompt = { text: '这张卡不能使用，请找工作人员', tone: 'refused' };

describe('pickMandarinVoice', () => {
	it('takes a zh-CN voice on the device before a network one or another Mandarin one', () => {
		const online = voice('zh-CN', false, 'Google 普通话');
		const local = voice('zh-CN', true, 'Ting-Ting');
		const taiwan = voice('zh-TW', true, 'Mei-Jia');
		expect(pickMandarinVoice([voice('en-US'), taiwan, online, local])?.name).toBe('Ting-Ting');
		expect(pickMandarinVoice([taiwan, online])?.name).toBe('Google 普通话');
		expect(pickMandarinVoice([voice('en-US'), taiwan])?.name).toBe('Mei-Jia');
		expect(pickMandarinVoice([voice('zh_CN', true, 'android')])?.name).toBe('android');
	});

	it('does not take Cantonese or another language for Mandarin', () => {
		expect(pickMandarinVoice([voice('zh-HK'), voice('en-US'), voice('ja-JP')])).toBeNull();
		expect(pickMandarinVoice([])).toBeNull();
	});
});

describe('the browser speaker', () => {
	it('speaks the sentence in zh-CN with a Mandarin voice at the chosen volume', () => {
		const { device, calls } = fakeDevice({ voices: [voice('en-US'), voice('zh-CN')] });
		createBrowserSpeaker(device).say(greeting, 0.7);
		expect(calls).toEqual([
			{ call: 'cancel' },
			{ call: 'speak', text: '您好，您有 120 积分', lang: 'zh-CN', volume: 0.7, voice: 'zh-CN' }
		]);
	});

	it('cancels the sentence still being said before a fast second scan, so none queue', () => {
		const { device, calls } = fakeDevice({ voices: [voice('zh-CN')] });
		const speaker = createBrowserSpeaker(device);
		speaker.say(greeting, 1);
		speaker.say(refused, 1);
		expect(calls.map((call) => call.call)).toEqual(['cancel', 'speak', 'cancel', 'speak']);
	});

	it('chimes two rising tones for good and falling low ones for a refusal without a Mandarin voice', () => {
		const { device, calls } = fakeDevice({ voices: [voice('en-US')] });
		const speaker = createBrowserSpeaker(device);
		speaker.say(greeting, 1);
		const good = calls.flatMap((call) => (call.call === 'tone' ? [call.frequency] : []));
		expect(good).toHaveLength(2);
		expect(good[1]).toBeGreaterThan(good[0]!);
		calls.length = 0;
		speaker.say(refused, 1);
		const low = calls.flatMap((call) => (call.call === 'tone' ? [call.frequency] : []));
		expect(low[1]).toBeLessThan(low[0]!);
		expect(Math.max(...low)).toBeLessThan(Math.min(...good));
		expect(calls.some((call) => call.call === 'speak')).toBe(false);
	});

	it('chimes where the browser has no speech at all', () => {
		const { device, calls } = fakeDevice({ speech: false });
		const speaker = createBrowserSpeaker(device);
		expect(speaker.speaksMandarin()).toBe(false);
		speaker.say(refused, 0.4);
		expect(calls.filter((call) => call.call === 'tone')).toHaveLength(2);
	});

	it('uses the Mandarin voice once the browser has loaded its voices', () => {
		const fake = fakeDevice({ voices: [] });
		const speaker = createBrowserSpeaker(fake.device);
		speaker.say(greeting, 1);
		expect(fake.calls.some((call) => call.call === 'speak')).toBe(false);
		expect(speaker.speaksMandarin()).toBe(false);
		fake.loadVoices([voice('zh-CN')]);
		expect(speaker.speaksMandarin()).toBe(true);
		speaker.say(greeting, 1);
		expect(fake.calls.at(-1)).toMatchObject({ call: 'speak', text: greeting.text });
	});

	it('chimes when the voice fails (a network voice offline), but not when it was cut off', () => {
		const fake = fakeDevice({ voices: [voice('zh-CN', false)] });
		const speaker = createBrowserSpeaker(fake.device);
		speaker.say(greeting, 1);
		fake.spoken[0]!.fail('interrupted');
		expect(fake.calls.some((call) => call.call === 'tone')).toBe(false);
		fake.spoken[0]!.fail('network');
		expect(fake.calls.filter((call) => call.call === 'tone')).toHaveLength(2);
	});

	it('resumes audio on the first tap, which Chromium starts suspended', () => {
		const { device, calls } = fakeDevice({ speech: false });
		const speaker = createBrowserSpeaker(device);
		speaker.unlock();
		expect(calls).toEqual([{ call: 'resume' }]);
		speaker.stop();
	});
});
