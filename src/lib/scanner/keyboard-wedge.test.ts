import { describe, expect, it } from 'vitest';
import { WedgeBurst } from './keyboard-wedge';

function typeBurst(burst: WedgeBurst, text: string, start: number, gapMs: number) {
	let now = start;
	for (const key of text) {
		burst.press(key, now);
		now += gapMs;
	}
	return { result: burst.press('Enter', now), end: now };
}

describe('WedgeBurst', () => {
	it('reads a fast burst ending in Enter as a scan', () => {
		const burst = new WedgeBurst();
		expect(typeBurst(burst, 'CS1.R.1.a.1.sig', 1000, 8).result).toBe('CS1.R.1.a.1.sig');
	});

	it('ignores the same characters typed at a human pace', () => {
		const burst = new WedgeBurst();
		expect(typeBurst(burst, 'CS1.R.1.a.1.sig', 1000, 180).result).toBeNull();
	});

	it('ignores a fast burst shorter than the minimum length', () => {
		const burst = new WedgeBurst({ minLength: 8 });
		expect(typeBurst(burst, '1234', 0, 5).result).toBeNull();
	});

	it('drops slow keys typed before the burst', () => {
		const burst = new WedgeBurst();
		burst.press('x', 0);
		burst.press('y', 400);
		expect(typeBurst(burst, 'CSENROLL:12345678', 1000, 5).result).toBe('CSENROLL:12345678');
	});

	it('ignores modifier keys between the characters', () => {
		const burst = new WedgeBurst();
		let now = 0;
		for (const key of ['Shift', 'C', 'Shift', 'S', '1', '.', 'R', '.', '1', '2']) {
			burst.press(key, now);
			now += 4;
		}
		expect(burst.press('Enter', now)).toBe('CS1.R.12');
	});

	it('tolerates one late key in a long fast burst, as when the page was busy for a moment', () => {
		const burst = new WedgeBurst();
		let now = 0;
		const text = 'CS1.R.1.a.1.' + 'x'.repeat(86);
		for (const [i, key] of [...text].entries()) {
			burst.press(key, now);
			now += i === 40 ? 250 : 5;
		}
		expect(burst.press('Enter', now)).toBe(text);
	});

	it('ignores a fast typist, who is still much slower than a scanner', () => {
		const burst = new WedgeBurst();
		expect(typeBurst(burst, '1234567890', 0, 70).result).toBeNull();
	});

	it('does not take a late Enter as the end of the burst', () => {
		const burst = new WedgeBurst();
		let now = 0;
		for (const key of 'CS1.R.1.a.1.sig') {
			burst.press(key, now);
			now += 5;
		}
		expect(burst.press('Enter', now + 500)).toBeNull();
	});

	it('finds the card text when three stray keys were pressed just before the scan', () => {
		const burst = new WedgeBurst();
		burst.press('a', 0);
		burst.press('s', 90);
		burst.press('d', 180);
		const card = 'CS1.R.1.12.1.' + 'Q'.repeat(86);
		expect(typeBurst(burst, card, 260, 5).result).toBe(card);
		burst.press('9', 0);
		expect(typeBurst(burst, 'CSENROLL:12345678', 40, 5).result).toBe('CSENROLL:12345678');
	});

	it('passes a burst that holds none of our beginnings as it is (the kiosk says it cannot read it)', () => {
		const burst = new WedgeBurst();
		expect(typeBurst(burst, 'https://qr.alipay.com/abc', 0, 5).result).toBe(
			'https://qr.alipay.com/abc'
		);
	});
});
