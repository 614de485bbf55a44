import { describe, expect, it } from 'vitest';
import { isCrossSiteWrite } from './cross-site';

const origin = 'https://shop.example.org';

function request(path: string, method: string, headers: Record<string, string> = {}) {
	const url = new URL(path, origin);
	return { request: new Request(url, { method, headers }), url };
}

describe('cross-site writes', () => {
	it('refuses an office form posted from another site, or with no origin at all', () => {
		const refused: Array<Record<string, string>> = [
			{ origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
			{ origin: 'http://shop.example.org', 'content-type': 'multipart/form-data; boundary=x' },
			{ 'content-type': 'text/plain' },
			{ origin: 'null', 'content-type': 'application/json' }
		];
		for (const headers of refused) {
			const { request: r, url } = request('/admin/login', 'POST', headers);
			expect(isCrossSiteWrite(r, url)).toBe(true);
		}
		const { request: r, url } = request('/admin/logout', 'DELETE', {
			origin: 'https://evil.example'
		});
		expect(isCrossSiteWrite(r, url)).toBe(true);
	});

	it('lets our own pages post, and anyone read', () => {
		const own = request('/admin/login', 'POST', { origin, 'content-type': 'text/plain' });
		expect(isCrossSiteWrite(own.request, own.url)).toBe(false);
		const read = request('/admin', 'GET', { origin: 'https://evil.example' });
		expect(isCrossSiteWrite(read.request, read.url)).toBe(false);
	});

	it('leaves the bearer-token device API to answer for itself', () => {
		const push = request('/api/sync/push', 'POST', { 'content-type': 'text/plain' });
		expect(isCrossSiteWrite(push.request, push.url)).toBe(false);
		const lookalike = request('/apix/thing', 'POST', { 'content-type': 'text/plain' });
		expect(isCrossSiteWrite(lookalike.request, lookalike.url)).toBe(true);
	});
});
