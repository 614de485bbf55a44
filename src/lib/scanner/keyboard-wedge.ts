import { CREDENTIAL_VERSION } from '$lib/domain/credential';
import { ENROLL_QR_PREFIX } from '$lib/protocol/devices';

/**
 * A USB barcode scanner in keyboard-wedge mode "types" what it reads, much faster than a person,
 * and ends with Enter. We take a burst of at least `minLength` characters ending in Enter as one
 * scan when its keys came on average less than `maxAverageGapMs` apart. A single late key (the
 * page was busy for a moment) does not split the burst; a pause longer than `maxPauseMs` does.
 *
 * Keys a person pressed just before the scan (a child at the counter, a sleeve on the keyboard)
 * land in the same burst, and timing alone cannot tell them from a late key inside it. So the
 * scan starts where one of `textStarts` last begins in the burst: every text our codes hold
 * starts with one (a card's `CS1.`, an enrollment code's `CSENROLL:`), and none appears inside one.
 */
export interface WedgeOptions {
	maxAverageGapMs?: number;
	maxPauseMs?: number;
	minLength?: number;
	/** How the texts a scan may carry begin; a burst is read from the last one in it. */
	textStarts?: readonly string[];
}

/** The beginnings of every text our QR codes carry: resident and staff cards, enrollment codes. */
export const SCANNED_TEXT_STARTS: readonly string[] = [`${CREDENTIAL_VERSION}.`, ENROLL_QR_PREFIX];

export class WedgeBurst {
	#text = '';
	#firstKeyAt = 0;
	#lastKeyAt = -Infinity;
	readonly #maxAverageGapMs: number;
	readonly #maxPauseMs: number;
	readonly #minLength: number;
	readonly #textStarts: readonly string[];

	constructor({
		maxAverageGapMs = 50,
		maxPauseMs = 300,
		minLength = 8,
		textStarts = SCANNED_TEXT_STARTS
	}: WedgeOptions = {}) {
		this.#maxAverageGapMs = maxAverageGapMs;
		this.#maxPauseMs = maxPauseMs;
		this.#minLength = minLength;
		this.#textStarts = textStarts;
	}

	/**
	 * Feeds one key (KeyboardEvent.key) pressed at `now` (ms). Returns the scanned text when this
	 * Enter completes a burst, otherwise null.
	 */
	press(key: string, now: number): string | null {
		if (key === 'Enter') {
			const text = this.inBurst(now) ? this.#fromLastTextStart(this.#text) : null;
			this.#reset();
			return text;
		}
		// Shift, Alt and the like arrive between characters and carry no text.
		if (key.length !== 1) return null;
		if (now - this.#lastKeyAt > this.#maxPauseMs) {
			this.#text = '';
			this.#firstKeyAt = now;
		}
		this.#text += key;
		this.#lastKeyAt = now;
		return null;
	}

	/** True while a scanner-fast burst is being typed: an Enter now would finish a scan. */
	inBurst(now: number): boolean {
		const length = this.#text.length;
		if (length < this.#minLength || now - this.#lastKeyAt > this.#maxPauseMs) return false;
		const averageGap = (this.#lastKeyAt - this.#firstKeyAt) / (length - 1);
		return averageGap <= this.#maxAverageGapMs;
	}

	#fromLastTextStart(text: string): string {
		const start = Math.max(0, ...this.#textStarts.map((begin) => text.lastIndexOf(begin)));
		return text.slice(start);
	}

	#reset(): void {
		this.#text = '';
		this.#lastKeyAt = -Infinity;
	}
}

function isTypingTarget(target: EventTarget | null): boolean {
	if (!(target instanceof HTMLElement)) return false;
	return (
		target instanceof HTMLInputElement ||
		target instanceof HTMLTextAreaElement ||
		target instanceof HTMLSelectElement ||
		target.isContentEditable
	);
}

/** Listens on the whole window for wedge scans; returns a function that stops listening. */
export function listenForWedgeScans(
	onText: (text: string) => void,
	options: WedgeOptions = {}
): () => void {
	const burst = new WedgeBurst(options);
	const onKeyDown = (event: KeyboardEvent) => {
		if (isTypingTarget(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
		const text = burst.press(event.key, event.timeStamp);
		if (text === null) return;
		// Otherwise the Enter would also press whatever button has the focus.
		event.preventDefault();
		event.stopPropagation();
		onText(text);
	};
	window.addEventListener('keydown', onKeyDown, { capture: true });
	return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
}
