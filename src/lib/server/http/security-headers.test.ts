import { describe, expect, it } from 'vitest';
import { setSecurityHeaders } from './security-headers';

describe('security headers', () => {
	it('asks for https only when served over https', () => {
		const secure = new Headers();
		setSecurityHeaders(secure, new URL('https://shop.example.org/admin'));
		expect(secure.get('strict-transport-security')).toBe('max-age=31536000');
		const plain = new Headers();
		setSecurityHeaders(plain, new URL('http://192.168.1.20:3000/admin'));
		expect(plain.get('strict-transport-security')).toBeNull();
	});

	it('forbids sniffing and framing on every answer', () => {
		const headers = new Headers();
		setSecurityHeaders(headers, new URL('http://localhost:3000/kiosk'));
		expect(headers.get('x-content-type-options')).toBe('nosniff');
		expect(headers.get('x-frame-options')).toBe('DENY');
	});
});
