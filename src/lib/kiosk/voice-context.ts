import { getContext, setContext } from 'svelte';
import type { CounterVoice } from './counter-voice.svelte';

const VOICE_KEY = Symbol('counter-voice');

export function provideVoice(voice: CounterVoice): void {
	setContext(VOICE_KEY, voice);
}

export function useVoice(): CounterVoice {
	const voice = getContext<CounterVoice | undefined>(VOICE_KEY);
	if (!voice) throw new Error('useVoice() outside the kiosk layout');
	return voice;
}
