import { describe, expect, it } from 'vitest';
import { readIdleSeconds } from './kiosk-settings';

describe('readIdleSeconds', () => {
	it('defaults to a minute', () => {
		expect(readIdleSeconds(null, null)).toBe(60);
	});

	it('prefers the query over the meta setting', () => {
		expect(readIdleSeconds('15', '90')).toBe(15);
		expect(readIdleSeconds(null, '90')).toBe(90);
	});

	it('ignores nonsense and keeps the value within sane bounds', () => {
		expect(readIdleSeconds('abc', null)).toBe(60);
		expect(readIdleSeconds('1', null)).toBe(5);
		expect(readIdleSeconds('999999', null)).toBe(3600);
	});
});
