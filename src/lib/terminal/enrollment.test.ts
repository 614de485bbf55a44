import { describe, expect, it } from 'vitest';
import { isEnrollQr, parseEnrollCode } from './enrollment';

describe('enrollment codes', () => {
	it('reads typed and scanned codes', () => {
		expect(parseEnrollCode('1234-5678')).toBe('12345678');
		expect(parseEnrollCode(' 12345678 ')).toBe('12345678');
		expect(parseEnrollCode('CSENROLL:1234-5678')).toBe('12345678');
		expect(isEnrollQr('CSENROLL:12345678')).toBe(true);
		expect(parseEnrollCode('1234')).toBeNull();
		expect(parseEnrollCode('CS1.R.1.1.1.x')).toBeNull();
	});
});
