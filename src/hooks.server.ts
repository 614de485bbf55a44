import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { crossSiteRefusal, isCrossSiteWrite, isDeviceApiPath } from '$lib/server/http/cross-site';
import { asApiErrorResponse, setSecurityHeaders } from '$lib/server/http/security-headers';
import { StartRefused, prepareServer, startupBanner } from '$lib/server/startup';

/** Opens and migrates the database before the first request; seeds and prints in demo mode. */
export const init: ServerInit = async () => {
	// The build prerenders pages through the server; it must not create a database.
	if (building) return;
	let summary;
	try {
		summary = await prepareServer();
	} catch (error) {
		if (!(error instanceof StartRefused)) throw error;
		console.error(`\n${error.message}\n`);
		process.exit(1);
	}
	console.log(startupBanner(summary));
};

export const handle: Handle = async ({ event, resolve }) => {
	if (isCrossSiteWrite(event.request, event.url)) return crossSiteRefusal();
	let response = await resolve(event);
	if (isDeviceApiPath(event.url.pathname)) response = await asApiErrorResponse(response);
	try {
		setSecurityHeaders(response.headers, event.url);
	} catch {
		// Responses passed through from fetch() have immutable headers; they are not ours to mark.
	}
	return response;
};

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status >= 500) console.error(`${event.request.method} ${event.url.pathname}`, error);
	if (status === 404) return { message: '找不到这个页面', code: 'not_found' };
	if (status < 500) return { message: '请求不正确', code: 'bad_request' };
	return { message: '服务器出错了，请稍后再试', code: 'server_error' };
};
