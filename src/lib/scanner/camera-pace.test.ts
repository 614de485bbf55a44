import { describe, expect, it } from 'vitest';
import { scansFrame, RELAXED_FRAME_INTERVAL } from './camera-pace';

const scannedOf = (pace: Parameters<typeof scansFrame>[0], frames: number) =>
	Array.from({ length: frames }, (_, i) => i + 1).filter((frame) => scansFrame(pace, frame));

describe('camera pace', () => {
	it('scans every frame while waiting for a card', () => {
		expect(scannedOf('every_frame', 20)).toHaveLength(20);
	});

	it('scans a few frames a second while a resident is served, never none for long', () => {
		const scanned = scannedOf('relaxed', 20);
		expect(scanned).toHaveLength(20 / RELAXED_FRAME_INTERVAL);
		const gaps = scanned.slice(1).map((frame, i) => frame - scanned[i]!);
		expect(Math.max(...gaps)).toBe(RELAXED_FRAME_INTERVAL);
	});

	it('scans nothing while a redemption commits', () => {
		expect(scannedOf('paused', 20)).toEqual([]);
	});
});
