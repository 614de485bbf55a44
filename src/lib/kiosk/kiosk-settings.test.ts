import { describe, expect, it } from 'vitest';
import { readIdleSeconds } from './kiosk-settings';

describe('readIdleSeconds', () => {
	it('defaults to a minute', () => {
		expect(readIdleSeconds(null, null, undefined)).toBe(60);
	});

	it('takes the first usable source: address, then remembered, then meta', () => {
		expect(readIdleSeconds('15', '30', '90')).toBe(15);
		expect(readIdleSeconds(null, '30', '90')).toBe(30);
		expect(readIdleSeconds(null, null, '90')).toBe(90);
	});

	it('ignores nonsense and keeps the value within sane bounds', () => {
		expect(readIdleSeconds('abc', null)).toBe(60);
		expect(readIdleSeconds('1')).toBe(5);
		expect(readIdleSeconds('999999')).toBe(3600);
	});
});
