/**
 * The lobby display's playlist: which slide comes next, for how long, and how the screen looks at
 * this time of day. Pure, so the player stays a thin loop and every rule here has a test.
 *
 * - Day parts are wall-clock ranges in the community's time zone ('22:00'–'06:00' crosses
 *   midnight); the first part that contains the moment wins, outside all parts the mode is normal.
 *   'calm' shows only the calm slide (community name and clock), 'dim' darkens the normal rotation.
 * - A slide type the display does not know, or one with nothing to show (no stories, an empty
 *   board), is skipped. A type with several frames (board pages, stories) shows a few per turn and
 *   carries on from there at its next turn, so a 500-entry board does not hold the screen for an
 *   hour and the stories take turns.
 */

import { DEFAULT_TIME_ZONE } from './business-date';
import {
	SLIDE_SECONDS_MAX,
	SLIDE_SECONDS_MIN,
	type DayPart,
	type DayPartMode
} from '$lib/protocol/display-feed';

export type { DayPart };
export type DayMode = DayPartMode;

export interface PlaylistSlide {
	type: string;
	seconds: number;
}

/**
 * The day parts a playlist starts with: the calm slide (name and clock) only at night. The lobby
 * is busiest 06–08 and 20–22, when the board and the stories must be on screen.
 */
export const NIGHT_CALM_DAY_PARTS: readonly DayPart[] = [
	{ from: '22:00', to: '06:00', mode: 'calm' }
];

/** How long the calm slide stays before the day part is looked at again. */
export const CALM_SLIDE_SECONDS = 60;
/** The shortest a slide may last at any test speed: a cross-fade must still fit. */
export const MIN_SLIDE_MS = 150;
/** Board pages (or any paged type) shown in one turn before the playlist moves on. */
export const MAX_FRAMES_PER_TURN = 6;
/** Types that show one frame per turn, so their items take turns across the rotation. */
const ONE_FRAME_PER_TURN = new Set(['story']);

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of an 'HH:MM' time, or null when it is not one. '24:00' is midnight. */
export function parseClockTime(text: string): number | null {
	if (text === '24:00') return 24 * 60;
	const match = CLOCK_TIME.exec(text);
	return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

const minuteFormatters = new Map<string, Intl.DateTimeFormat>();

function minuteFormatter(timeZone: string): Intl.DateTimeFormat {
	let formatter = minuteFormatters.get(timeZone);
	if (!formatter) {
		try {
			formatter = new Intl.DateTimeFormat('en-GB', {
				timeZone,
				hour: '2-digit',
				minute: '2-digit',
				hourCycle: 'h23'
			});
		} catch {
			// An unknown zone name must not stop the screen: the project default is the best guess.
			formatter = minuteFormatter(DEFAULT_TIME_ZONE);
		}
		minuteFormatters.set(timeZone, formatter);
	}
	return formatter;
}

/** Minutes after midnight of a moment on the wall clock of `timeZone`. */
export function minutesOfDay(at: Date | number, timeZone: string): number {
	const parts = minuteFormatter(timeZone).formatToParts(at);
	const value = (type: Intl.DateTimeFormatPartTypes) =>
		Number(parts.find((part) => part.type === type)?.value ?? 0);
	return (value('hour') % 24) * 60 + value('minute');
}

/** Whether a day part contains the minute; a part from a time to the same time is the whole day. */
function partContains(part: DayPart, minute: number): boolean {
	const from = parseClockTime(part.from);
	const to = parseClockTime(part.to);
	if (from === null || to === null) return false;
	if (from === to) return true;
	return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

export function dayModeAt(parts: readonly DayPart[], at: Date | number, timeZone: string): DayMode {
	const minute = minutesOfDay(at, timeZone);
	return parts.find((part) => partContains(part, minute))?.mode ?? 'normal';
}

/** A slide's seconds as the playlist may ask them (3–600), in ms at the given speed. */
export function slideDurationMs(seconds: number, speed = 1): number {
	const safeSeconds = Number.isFinite(seconds) ? seconds : SLIDE_SECONDS_MIN;
	const clamped = Math.min(SLIDE_SECONDS_MAX, Math.max(SLIDE_SECONDS_MIN, safeSeconds));
	const factor = Number.isFinite(speed) && speed > 0 ? speed : 1;
	return Math.max(MIN_SLIDE_MS, Math.round((clamped * 1000) / factor));
}

/** Where the rotation stands: the playlist slot, frames shown in this turn, each type's next frame. */
export interface RotationState {
	slot: number;
	shownThisTurn: number;
	nextFrame: Readonly<Record<string, number>>;
}

export const ROTATION_START: RotationState = { slot: -1, shownThisTurn: 0, nextFrame: {} };

export type ScheduledSlide =
	| {
			kind: 'content';
			type: string;
			frame: number;
			frames: number;
			durationMs: number;
			mode: 'normal' | 'dim';
	  }
	| { kind: 'calm'; durationMs: number; mode: DayMode };

export interface ScheduleInput {
	slides: readonly PlaylistSlide[];
	dayParts: readonly DayPart[];
	timeZone: string;
	now: Date | number;
	/** Frames a slide type has right now; 0 for an unknown type or one with nothing to show. */
	framesOf: (type: string) => number;
	state: RotationState;
	/** Test speed-up: durations are divided by it. */
	speed?: number;
}

function framesPerTurn(type: string, frames: number): number {
	return Math.min(frames, ONE_FRAME_PER_TURN.has(type) ? 1 : MAX_FRAMES_PER_TURN);
}

/** The slide to show next and the rotation state after it. */
export function scheduleNext(input: ScheduleInput): {
	slide: ScheduledSlide;
	state: RotationState;
} {
	const { slides, state, framesOf } = input;
	const speed = input.speed ?? 1;
	const mode = dayModeAt(input.dayParts, input.now, input.timeZone);
	const calm: ScheduledSlide = {
		kind: 'calm',
		durationMs: slideDurationMs(CALM_SLIDE_SECONDS, speed),
		mode
	};
	if (mode === 'calm' || slides.length === 0) return { slide: calm, state };

	const pick = (slot: number, shownBefore: number) => {
		const entry = slides[slot];
		if (!entry) return null;
		const frames = Math.max(0, Math.floor(framesOf(entry.type)));
		if (frames === 0 || shownBefore >= framesPerTurn(entry.type, frames)) return null;
		const frame = (state.nextFrame[entry.type] ?? 0) % frames;
		return {
			slide: {
				kind: 'content' as const,
				type: entry.type,
				frame,
				frames,
				durationMs: slideDurationMs(entry.seconds, speed),
				mode
			},
			state: {
				slot,
				shownThisTurn: shownBefore + 1,
				nextFrame: { ...state.nextFrame, [entry.type]: (frame + 1) % frames }
			}
		};
	};

	const current = state.slot >= 0 && state.slot < slides.length ? state.slot : -1;
	if (current >= 0) {
		const more = pick(current, state.shownThisTurn);
		if (more) return more;
	}
	for (let step = 1; step <= slides.length; step++) {
		const next = pick((current + step + slides.length) % slides.length, 0);
		if (next) return next;
	}
	return { slide: calm, state: ROTATION_START };
}
