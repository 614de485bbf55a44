import { DEFAULT_ERROR_MESSAGES, STATUS_OF_ERROR, apiErrorResponse } from './api-errors';
import type { ApiErrorCode } from '$lib/protocol/errors';

/** A year: browsers remember to use https only for as long as this says. */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 3600;

/**
 * Headers every answer of ours carries. The Content-Security-Policy is SvelteKit's (kit.csp in
 * svelte.config.js), which can give its inline hydration script a nonce. HSTS only over https:
 * sent over plain http (a LAN without certificates) it would be ignored, and a browser that
 * once saw it over https would refuse the http address afterwards.
 */
export function setSecurityHeaders(headers: Headers, url: URL): void {
	if (url.protocol === 'https:') {
		headers.set('strict-transport-security', `max-age=${HSTS_MAX_AGE_SECONDS}`);
	}
	headers.set('x-content-type-options', 'nosniff');
	headers.set('referrer-policy', 'same-origin');
	headers.set('x-frame-options', 'DENY');
	headers.set('cross-origin-opener-policy', 'same-origin');
	headers.set('permissions-policy', 'camera=(self), microphone=(), geolocation=(), payment=()');
}

function codeForStatus(status: number): ApiErrorCode {
	const known = (Object.keys(STATUS_OF_ERROR) as ApiErrorCode[]).find(
		(code) => STATUS_OF_ERROR[code] === status && code !== 'invalid_json' && code !== 'invalid_body'
	);
	if (known) return known;
	return status >= 500 ? 'server_error' : 'bad_request';
}

/**
 * Makes an error answer under /api/ speak `{ error, message }` even when it came from SvelteKit
 * itself (no such route, method not allowed) rather than from our handlers.
 */
export async function asApiErrorResponse(response: Response): Promise<Response> {
	if (response.status < 400) return response;
	if (response.headers.get('content-type')?.includes('application/json')) {
		const body = (await response
			.clone()
			.json()
			.catch(() => null)) as { error?: unknown } | null;
		if (typeof body?.error === 'string') return response;
	}
	const code = codeForStatus(response.status);
	const message =
		response.status === 405 ? '这个地址不支持这种请求方法' : DEFAULT_ERROR_MESSAGES[code];
	return apiErrorResponse(code, message, response.status);
}
