/** What the slides need from the display without props through every level. */
import { getContext, setContext } from 'svelte';
import type { DisplayClock } from './display-clock.svelte';

export interface DisplayContext {
	clock: DisplayClock;
	/** The community's IANA time zone. */
	timeZone: () => string;
	communityName: () => string;
	/** The object URL of a feed picture, or null for the placeholder. */
	picture: (url: string | null) => string | null;
	/** A picture that failed to decode: the placeholder from now on. */
	pictureBroken: (url: string) => void;
}

const KEY = Symbol('display');

export function provideDisplay(context: DisplayContext): void {
	setContext(KEY, context);
}

export function useDisplay(): DisplayContext {
	return getContext<DisplayContext>(KEY);
}
