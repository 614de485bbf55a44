/**
 * Against burn-in of the fixed parts of the frame (community name, clock, titles): the whole frame
 * moves by a few pixels, one small step every few minutes, around a 3 × 3 square.
 */
export const PIXEL_SHIFT_STEP_PX = 2;
export const PIXEL_SHIFT_EVERY_MS = 3 * 60_000;

/** Around the square, so that each step is one grid move: no visible jump. */
const ORBIT: readonly (readonly [number, number])[] = [
	[0, 0],
	[1, 0],
	[1, 1],
	[0, 1],
	[-1, 1],
	[-1, 0],
	[-1, -1],
	[0, -1],
	[1, -1]
];

export function pixelShiftAt(now: number): { x: number; y: number } {
	const step = Math.floor(now / PIXEL_SHIFT_EVERY_MS);
	const [x, y] = ORBIT[((step % ORBIT.length) + ORBIT.length) % ORBIT.length] ?? [0, 0];
	return { x: x * PIXEL_SHIFT_STEP_PX, y: y * PIXEL_SHIFT_STEP_PX };
}
