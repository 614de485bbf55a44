/**
 * A USB barcode scanner in keyboard-wedge mode "types" what it reads, much faster than a person,
 * and ends with Enter. We treat a burst of characters that arrive less than `maxGapMs` apart,
 * at least `minLength` long and ending in Enter, as one scan.
 */
export interface WedgeOptions {
	maxGapMs?: number;
	minLength?: number;
}

export class WedgeBurst {
	#text = '';
	#lastKeyAt = -Infinity;
	readonly #maxGapMs: number;
	readonly #minLength: number;

	constructor({ maxGapMs = 50, minLength = 8 }: WedgeOptions = {}) {
		this.#maxGapMs = maxGapMs;
		this.#minLength = minLength;
	}

	/**
	 * Feeds one key (KeyboardEvent.key) pressed at `now` (ms). Returns the scanned text when this
	 * Enter completes a burst, otherwise null.
	 */
	press(key: string, now: number): string | null {
		const gap = now - this.#lastKeyAt;
		if (key === 'Enter') {
			const text = this.#text;
			const fastEnough = gap <= this.#maxGapMs;
			this.#reset();
			return fastEnough && text.length >= this.#minLength ? text : null;
		}
		// Shift, Alt and the like arrive between characters and carry no text.
		if (key.length !== 1) return null;
		if (gap > this.#maxGapMs) this.#text = '';
		this.#text += key;
		this.#lastKeyAt = now;
		return null;
	}

	/** True while a burst is being typed: an Enter now would likely finish a scan. */
	inBurst(now: number): boolean {
		return this.#text.length >= this.#minLength && now - this.#lastKeyAt <= this.#maxGapMs;
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
		const now = event.timeStamp;
		const wasBurst = burst.inBurst(now);
		const text = burst.press(event.key, now);
		if (text !== null || (event.key === 'Enter' && wasBurst)) {
			// Otherwise the Enter would also press whatever button has the focus.
			event.preventDefault();
			event.stopPropagation();
		}
		if (text !== null) onText(text);
	};
	window.addEventListener('keydown', onKeyDown, { capture: true });
	return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
}
