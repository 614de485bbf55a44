import { scansFrame, type CameraPace } from './camera-pace';

/** The scanner's tick: 20 a second, each a chance to decode the newest camera frame. */
export const SCAN_TICK_MS = 50;

export interface ScanLoopOptions {
	/** Decodes the camera's current frame: the text of a QR code in it, or null. */
	decodeFrame: () => Promise<string | null>;
	onText: (text: string) => void;
	/** Read on every tick, so the kiosk can relax or pause the camera at any moment. */
	pace: () => CameraPace;
	/** Waits for the next tick; tests pass their own clock. */
	wait?: (ms: number) => Promise<void>;
	/** Milliseconds on a steady clock; tests pass their own. */
	now?: () => number;
}

const waitMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Scans the camera until `stop()` is called. The next tick is only waited for once a decode has
 * finished, and only for what is left of the tick, so the scanner keeps its 20 a second while
 * decodes are quick and a slow frame (a hard card, a busy machine) never stacks decodes up on
 * the main thread: on a slow machine the scanner simply reads fewer frames a second. A frame that
 * fails to decode (the video not started yet, a decoder error) is skipped, never the end of the
 * loop.
 */
export function startScanLoop({
	decodeFrame,
	onText,
	pace,
	wait = waitMs,
	now = () => performance.now()
}: ScanLoopOptions): { stop(): void } {
	let running = true;
	void (async () => {
		let frame = 0;
		let tickStart = now();
		while (running) {
			await wait(Math.max(0, SCAN_TICK_MS - (now() - tickStart)));
			tickStart = now();
			frame += 1;
			if (!running || !scansFrame(pace(), frame)) continue;
			const text = await decodeFrame().catch(() => null);
			if (running && text !== null) onText(text);
		}
	})();
	return {
		stop() {
			running = false;
		}
	};
}
