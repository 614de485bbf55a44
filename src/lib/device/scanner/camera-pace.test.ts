import { describe, expect, it } from 'vitest';
import { decodesFrame, RELAXED_FRAME_INTERVAL } from './camera-pace';

const decodedOf = (pace: Parameters<typeof decodesFrame>[0], frames: number) =>
	Array.from({ length: frames }, (_, i) => i + 1).filter((frame) => decodesFrame(pace, frame));

describe('camera pace', () => {
	it('decodes every frame while waiting for a card', () => {
		expect(decodedOf('every_frame', 20)).toHaveLength(20);
	});

	it('decodes a few frames a second while a resident is served, never none for long', () => {
		const decoded = decodedOf('relaxed', 20);
		expect(decoded).toHaveLength(20 / RELAXED_FRAME_INTERVAL);
		const gaps = decoded.slice(1).map((frame, i) => frame - decoded[i]!);
		expect(Math.max(...gaps)).toBe(RELAXED_FRAME_INTERVAL);
	});

	it('decodes nothing while a redemption commits', () => {
		expect(decodedOf('paused', 20)).toEqual([]);
	});
});
