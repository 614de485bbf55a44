import { describe, expect, it } from 'vitest';
import type { CameraPace } from './camera-pace';
import { RELAXED_FRAME_INTERVAL } from './camera-pace';
import { SCAN_TICK_MS, startScanLoop } from './scan-loop';

/** A clock the test advances one tick at a time. */
function manualClock() {
	let release: (() => void) | null = null;
	// Lets the loop run up to its next wait (or into a decode that has not finished).
	const settle = async () => {
		for (let i = 0; i < 5; i++) await Promise.resolve();
	};
	return {
		wait: () => new Promise<void>((resolve) => (release = resolve)),
		async tick(times = 1) {
			for (let i = 0; i < times; i++) {
				await settle();
				const next = release;
				release = null;
				next?.();
				await settle();
			}
		}
	};
}

function loopWith(pace: { value: CameraPace }, decodeFrame: () => Promise<string | null>) {
	const clock = manualClock();
	const texts: string[] = [];
	const loop = startScanLoop({
		decodeFrame,
		onText: (text) => texts.push(text),
		pace: () => pace.value,
		wait: clock.wait
	});
	return { clock, texts, loop };
}

describe('startScanLoop', () => {
	it('decodes on every tick while waiting for a card and passes on what it reads', async () => {
		let decodes = 0;
		const { clock, texts } = loopWith({ value: 'every_frame' }, async () => {
			decodes += 1;
			return decodes === 3 ? 'CS1.R.1.1.1.sig' : null;
		});
		await clock.tick(10);
		expect(decodes).toBe(10);
		expect(texts).toEqual(['CS1.R.1.1.1.sig']);
	});

	it('decodes one tick in a few while relaxed and none while paused, read on every tick', async () => {
		const pace: { value: CameraPace } = { value: 'relaxed' };
		let decodes = 0;
		const { clock } = loopWith(pace, async () => {
			decodes += 1;
			return null;
		});
		await clock.tick(RELAXED_FRAME_INTERVAL * 4);
		expect(decodes).toBe(4);
		pace.value = 'paused';
		await clock.tick(20);
		expect(decodes).toBe(4);
		pace.value = 'every_frame';
		await clock.tick(3);
		expect(decodes).toBe(7);
	});

	it('waits for a slow decode before the next tick, so decodes never pile up', async () => {
		let inFlight = 0;
		let most = 0;
		const finishes: (() => void)[] = [];
		const { clock } = loopWith({ value: 'every_frame' }, () => {
			inFlight += 1;
			most = Math.max(most, inFlight);
			return new Promise((resolve) => {
				finishes.push(() => {
					inFlight -= 1;
					resolve(null);
				});
			});
		});
		await clock.tick(5);
		expect(finishes).toHaveLength(1);
		finishes[0]!();
		await clock.tick(1);
		expect(finishes).toHaveLength(2);
		expect(most).toBe(1);
	});

	it('waits only for what is left of the tick after a decode, never less than nothing', async () => {
		let clockMs = 0;
		const waits: number[] = [];
		const decodeTimes = [20, 80, 0];
		startScanLoop({
			decodeFrame: async () => {
				clockMs += decodeTimes.shift() ?? 0;
				return null;
			},
			onText: () => undefined,
			pace: () => 'every_frame',
			now: () => clockMs,
			wait: async (ms) => {
				waits.push(ms);
				clockMs += ms;
				if (waits.length > 3) await new Promise(() => undefined);
			}
		});
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(waits).toEqual([SCAN_TICK_MS, SCAN_TICK_MS - 20, 0, SCAN_TICK_MS]);
	});

	it('keeps scanning after a frame that fails to decode', async () => {
		let decodes = 0;
		const { clock, texts } = loopWith({ value: 'every_frame' }, async () => {
			decodes += 1;
			if (decodes === 1) throw new DOMException('not ready', 'InvalidStateError');
			return 'CSENROLL:12345678';
		});
		await clock.tick(2);
		expect(texts).toEqual(['CSENROLL:12345678']);
	});

	it('decodes nothing more and passes on nothing once stopped', async () => {
		let decodes = 0;
		const { clock, texts, loop } = loopWith({ value: 'every_frame' }, async () => {
			decodes += 1;
			return 'CS1.R.1.1.1.sig';
		});
		await clock.tick(2);
		loop.stop();
		await clock.tick(5);
		expect(decodes).toBe(2);
		expect(texts).toHaveLength(2);
	});
});
