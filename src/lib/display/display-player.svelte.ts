/**
 * The slide loop. Two stacked layers take turns: the next slide is rendered into the hidden one,
 * its pictures are decoded, and only then does it fade in over the slide on screen, which stays
 * fully drawn underneath until the new one is opaque. So no frame between two slides is ever
 * blank, black or white. The feed is read again at every boundary, so new content (and a change
 * of day part) takes effect there, without a reload. A screen that changes size (a TV turned
 * from portrait to landscape) lays the slide on screen out again for its new size at once.
 */
import { tick } from 'svelte';
import type { Viewport } from '$lib/domain/board-paging';
import { DEFAULT_TIME_ZONE } from '$lib/domain/business-date';
import type { DisplayContent } from '$lib/domain/display-feed-salvage';
import {
	ROTATION_START,
	scheduleNext,
	type DayMode,
	type ScheduledSlide
} from '$lib/domain/display-schedule';
import { framesOf, slideModel, type SlideModel } from './slide-models';

const FADE_MS = 900;
/** A picture that takes longer than this to decode is shown as it is (the placeholder if broken). */
const DECODE_TIMEOUT_MS = 3_000;

export interface PlayerSource {
	content(): DisplayContent | null;
	/** Now by the trusted clock (the server's when the device's is off). */
	now(): number;
	viewport(): Viewport;
	speed: number;
}

export interface SlideLayer {
	slide: SlideModel;
	/** Counts slides shown, so a layer re-renders even when the same slide comes again. */
	serial: number;
}

export class DisplayPlayer {
	#layers = $state<[SlideLayer, SlideLayer]>([
		{ slide: { kind: 'calm' }, serial: 0 },
		{ slide: { kind: 'calm' }, serial: -1 }
	]);
	#front = $state(0);
	#mode = $state<DayMode>('normal');
	#changes = $state(0);
	readonly #source: PlayerSource;
	readonly #elements: (HTMLElement | null)[] = [null, null];
	// Not state: nothing renders from the listeners.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #boundaryListeners = new Set<() => void>();
	#rotation = ROTATION_START;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#running = false;
	#atBoundary = false;
	#changing = false;
	#currentMs = 0;
	/** What each layer shows, as scheduled: laid out again when the screen changes size. */
	readonly #scheduled: (ScheduledSlide | null)[] = [null, null];
	#serial = 0;
	#relayoutPending = false;

	constructor(source: PlayerSource) {
		this.#source = source;
	}

	get layers(): readonly SlideLayer[] {
		return this.#layers;
	}
	get front(): number {
		return this.#front;
	}
	get mode(): DayMode {
		return this.#mode;
	}
	/** True only while the boundary listeners run: between two slides. */
	get atBoundary(): boolean {
		return this.#atBoundary;
	}
	/** Slide changes since the start (tests and the bench read it). */
	get changes(): number {
		return this.#changes;
	}

	/** Gives the player a layer's element; returns the function that takes it back. */
	attach(index: 0 | 1, element: HTMLElement): () => void {
		this.#elements[index] = element;
		element.style.opacity = index === this.#front ? '1' : '0';
		element.style.zIndex = index === this.#front ? '2' : '1';
		return () => {
			if (this.#elements[index] === element) this.#elements[index] = null;
		};
	}

	/** Called at every slide boundary, between two slides (app updates are applied there). */
	onBoundary(listener: () => void): () => void {
		this.#boundaryListeners.add(listener);
		return () => this.#boundaryListeners.delete(listener);
	}

	/**
	 * New content arrived: a calm slide shown for want of content gives way at once; any other
	 * slide finishes its time (the new content shows from the next boundary).
	 */
	contentArrived(): void {
		const shown = this.#layers[this.#front];
		if (!this.#running || this.#changing || shown?.slide.kind !== 'calm') return;
		clearTimeout(this.#timer);
		void this.#next(this.#currentMs);
	}

	start(): () => void {
		this.#running = true;
		void this.#first();
		const resized = () => this.relayout();
		// A rotated TV may report only one of the two events.
		window.addEventListener('resize', resized);
		window.addEventListener('orientationchange', resized);
		return () => {
			this.#running = false;
			clearTimeout(this.#timer);
			window.removeEventListener('resize', resized);
			window.removeEventListener('orientationchange', resized);
		};
	}

	/**
	 * The screen changed size: the slide on screen is laid out again for it (a board page cut
	 * for portrait has more rows than a landscape screen holds). It keeps its place and its time;
	 * during a cross-fade this waits for the fade to end.
	 */
	relayout(): void {
		if (!this.#running) return;
		if (this.#changing) {
			this.#relayoutPending = true;
			return;
		}
		const scheduled = this.#scheduled[this.#front];
		if (!scheduled) return;
		const slide = slideModel(this.#source.content(), scheduled, this.#source.viewport());
		this.#layers[this.#front] = { slide, serial: ++this.#serial };
	}

	#schedule(): { slide: SlideModel; scheduled: ScheduledSlide; durationMs: number } {
		const source = this.#source;
		const content = source.content();
		const viewport = source.viewport();
		const next = scheduleNext({
			slides: content?.playlist.slides ?? [],
			dayParts: content?.playlist.dayParts ?? [],
			timeZone: content?.community.timeZone ?? DEFAULT_TIME_ZONE,
			now: source.now(),
			framesOf: (type) => framesOf(content, type, viewport),
			state: this.#rotation,
			speed: source.speed
		});
		this.#rotation = next.state;
		this.#mode = next.slide.mode;
		return {
			slide: slideModel(content, next.slide, viewport),
			scheduled: next.slide,
			durationMs: next.slide.durationMs
		};
	}

	async #first(): Promise<void> {
		const { slide, scheduled, durationMs } = this.#schedule();
		this.#layers[this.#front] = { slide, serial: ++this.#serial };
		this.#scheduled[this.#front] = scheduled;
		this.#changes = 1;
		this.#wait(durationMs);
	}

	#wait(ms: number): void {
		clearTimeout(this.#timer);
		this.#currentMs = ms;
		if (!this.#running) return;
		this.#timer = setTimeout(() => void this.#next(ms), ms);
	}

	async #next(previousMs: number): Promise<void> {
		if (!this.#running || this.#changing) return;
		this.#changing = true;
		this.#atBoundary = true;
		for (const listener of this.#boundaryListeners) {
			try {
				listener();
			} catch (error) {
				console.warn('display: boundary listener failed', error);
			}
		}
		this.#atBoundary = false;
		let durationMs = previousMs;
		try {
			const next = this.#schedule();
			durationMs = next.durationMs;
			const back = this.#front === 0 ? 1 : 0;
			this.#layers[back] = { slide: next.slide, serial: ++this.#serial };
			this.#scheduled[back] = next.scheduled;
			await tick();
			const incoming = this.#elements[back];
			const outgoing = this.#elements[this.#front];
			if (incoming) await decodePictures(incoming);
			if (incoming && outgoing) {
				await crossFade(incoming, outgoing, Math.min(FADE_MS, durationMs / 4));
			}
			this.#front = back;
			this.#changes += 1;
		} catch (error) {
			// Whatever went wrong, the slide on screen stays and the loop goes on.
			console.warn('display: slide change failed', error);
		}
		this.#changing = false;
		if (this.#relayoutPending) {
			this.#relayoutPending = false;
			this.relayout();
		}
		this.#wait(durationMs);
	}
}

/** Waits until every picture of a layer is decoded (or has failed, and shows its placeholder). */
async function decodePictures(layer: HTMLElement): Promise<void> {
	const pictures = Array.from(layer.querySelectorAll('img'));
	if (pictures.length === 0) return;
	const timeout = new Promise<void>((resolve) => setTimeout(resolve, DECODE_TIMEOUT_MS));
	await Promise.race([
		Promise.all(pictures.map((picture) => picture.decode().catch(() => undefined))),
		timeout
	]);
	// A picture that failed swaps itself for its placeholder: let that render first.
	await tick();
}

async function crossFade(incoming: HTMLElement, outgoing: HTMLElement, ms: number): Promise<void> {
	outgoing.style.zIndex = '1';
	incoming.style.zIndex = '2';
	const fade = incoming.animate([{ opacity: 0 }, { opacity: 1 }], {
		duration: Math.max(0, ms),
		easing: 'ease-in-out'
	});
	try {
		// A hidden page may never finish an animation; the slide still changes.
		await Promise.race([fade.finished, new Promise((resolve) => setTimeout(resolve, ms + 500))]);
	} catch {
		// Cancelled: the new slide is put on top all the same.
	} finally {
		incoming.style.opacity = '1';
		fade.cancel();
		outgoing.style.opacity = '0';
	}
}
