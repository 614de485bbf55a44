import { describe, expect, it } from 'vitest';
import { base64urlToBytes, bytesToBase64url } from './base64url';

describe('base64url', () => {
	it('reads back what it wrote, for every length', () => {
		for (let length = 0; length < 70; length++) {
			const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) % 256);
			expect(base64urlToBytes(bytesToBase64url(bytes))).toEqual(bytes);
		}
	});

	it('refuses a last character whose unused bits are set', () => {
		// One byte 0xff is `_w`; `_x` to `_-` hold the same byte with other unused bits.
		expect(bytesToBase64url(new Uint8Array([0xff]))).toBe('_w');
		expect(base64urlToBytes('_w')).toEqual(new Uint8Array([0xff]));
		for (const spelling of ['_x', '_y', '_z', '_0', '_-'])
			expect(base64urlToBytes(spelling)).toBeNull();
	});

	it('refuses padding, standard base64 letters and a BOM', () => {
		expect(base64urlToBytes('_w==')).toBeNull();
		expect(base64urlToBytes('/w')).toBeNull();
		expect(base64urlToBytes('\uFEFF_w')).toBeNull();
	});
});
