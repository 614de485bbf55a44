/**
 * How eagerly the camera scans. Each scanned frame is copied from the video into a canvas, read
 * out of it (3.7 MB at the camera's 1280×720) and decoded by the zxing wasm, all on the main thread, so scanning
 * only as often as the screen needs a card read keeps the kiosk's main thread and garbage
 * collector free for the resident.
 */
export type CameraPace =
	/** Waiting for a card: every frame, for the quickest read. */
	| 'every_frame'
	/** Serving a resident: a second card is still noticed within a fraction of a second. */
	| 'relaxed'
	/** Committing a redemption: a read would be ignored anyway. */
	| 'paused';

/** At 'relaxed', one frame in this many is scanned (four a second at the scanner's 20 fps). */
export const RELAXED_FRAME_INTERVAL = 5;

/** Whether the camera frame numbered `frame` (counting from 1) is scanned at `pace`. */
export function scansFrame(pace: CameraPace, frame: number): boolean {
	if (pace === 'paused') return false;
	return pace === 'every_frame' || frame % RELAXED_FRAME_INTERVAL === 0;
}
