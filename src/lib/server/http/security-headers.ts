import { DEFAULT_ERROR_MESSAGES, STATUS_OF_ERROR, apiErrorResponse } from './api-errors';
import type { ApiErrorCode } from '$lib/protocol/errors';

/**
 * Headers every answer carries. No CSP here: SvelteKit's inline hydration script needs a nonce
 * that the kit config would have to provide.
 */
export function setSecurityHeaders(headers: Headers): void {
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
