import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from './api-client';

function answering(status: number, body: unknown, seen: Request[] = []): typeof fetch {
	return async (input, init) => {
		seen.push(new Request(new URL(String(input), 'http://kiosk.test'), init));
		return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
	};
}

async function failureOf(call: Promise<unknown>) {
	try {
		await call;
	} catch (error) {
		if (error instanceof ApiError) return error.failure;
		throw error;
	}
	throw new Error('expected the call to fail');
}

const pullPage = { changes: [], cursor: 0, hasMore: false, serverTime: new Date().toISOString() };

describe('API client', () => {
	it('sends the device token and parses the answer with the protocol schema', async () => {
		const seen: Request[] = [];
		const api = new ApiClient({ fetch: answering(200, pullPage, seen) });
		expect(await api.pull('secret', 42, 500)).toEqual(pullPage);
		expect(seen[0]?.headers.get('authorization')).toBe('Bearer secret');
		expect(new URL(seen[0]!.url).search).toBe('?after=42&limit=500');
	});

	it('turns a dead network into a network failure', async () => {
		const api = new ApiClient({
			fetch: async () => {
				throw new TypeError('fetch failed');
			}
		});
		expect(await failureOf(api.pull('t', 0))).toMatchObject({ kind: 'network' });
	});

	it('gives up after the timeout', async () => {
		const api = new ApiClient({
			timeoutMs: 20,
			fetch: (_input, init) =>
				new Promise((_resolve, reject) => {
					init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
				})
		});
		expect(await failureOf(api.pull('t', 0))).toEqual({
			kind: 'network',
			message: 'request timed out'
		});
	});

	it('tells 401 apart from other errors and keeps the API error code', async () => {
		const unauthorized = new ApiClient({
			fetch: answering(401, { error: 'unauthorized', message: '设备已停用' })
		});
		expect(await failureOf(unauthorized.pull('t', 0))).toEqual({
			kind: 'unauthorized',
			code: 'unauthorized',
			message: '设备已停用'
		});
		const tooLarge = new ApiClient({
			fetch: answering(413, { error: 'body_too_large', message: '太大' })
		});
		expect(
			await failureOf(tooLarge.push('t', { events: [{}], sentAt: new Date().toISOString() }))
		).toEqual({ kind: 'http', status: 413, code: 'body_too_large', message: '太大' });
		const proxyPage = new ApiClient({ fetch: answering(502, '<html>bad gateway</html>') });
		expect(await failureOf(proxyPage.pull('t', 0))).toMatchObject({
			kind: 'http',
			status: 502,
			code: 'unknown'
		});
	});

	it('refuses an answer that does not match the protocol', async () => {
		const api = new ApiClient({ fetch: answering(200, { changes: 'nope' }) });
		expect(await failureOf(api.pull('t', 0))).toMatchObject({ kind: 'invalid_response' });
		const html = new ApiClient({ fetch: answering(200, '<!doctype html>') });
		expect(await failureOf(html.pull('t', 0))).toMatchObject({ kind: 'invalid_response' });
	});
});
