/*
 * The office's protection against cross-site form posts, as SvelteKit's own origin check makes
 * it (svelte.config.js hands the check to us): a request that may change something must come
 * from a page of our own origin. The device API is left out: it authenticates every call with a
 * bearer token, never with a cookie a foreign page could make the browser send, and answers its
 * own errors as JSON.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isDeviceApiPath(pathname: string): boolean {
	return pathname === '/api' || pathname.startsWith('/api/');
}

/** True when the request must be refused: it may change something and comes from elsewhere. */
export function isCrossSiteWrite(request: Request, url: URL): boolean {
	if (SAFE_METHODS.has(request.method) || isDeviceApiPath(url.pathname)) return false;
	return request.headers.get('origin') !== url.origin;
}

export function crossSiteRefusal(): Response {
	return new Response('不接受来自其他网站的提交（Cross-site form submissions are forbidden）', {
		status: 403,
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
}
