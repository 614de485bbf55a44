import { redirect } from '@sveltejs/kit';
import { SESSION_COOKIE, endSession } from '$lib/server/auth/sessions';
import { getDatabase } from '$lib/server/db/connection';
import { clearSessionCookie } from '$lib/server/office/guard';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ cookies, url }) => {
	await endSession(await getDatabase(), cookies.get(SESSION_COOKIE));
	clearSessionCookie(cookies, url);
	redirect(303, '/admin/login');
};
