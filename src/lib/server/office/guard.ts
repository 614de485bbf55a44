import { error, redirect, type Cookies } from '@sveltejs/kit';
import type { OfficeRole } from '../db/schema';
import { getDatabase } from '../db/connection';
import { SESSION_COOKIE, sessionAccount, type OfficeSession } from '../auth/sessions';

/** The signed-in office account, or a redirect to the login page. */
export async function requireOfficeAccount(
	cookies: Cookies,
	roles?: readonly OfficeRole[]
): Promise<OfficeSession> {
	const account = await sessionAccount(await getDatabase(), cookies.get(SESSION_COOKIE));
	if (!account) redirect(303, '/admin/login');
	if (roles && !roles.includes(account.role)) error(403, '你的账号没有权限打开这个页面');
	return account;
}

/** `secure` follows the page's scheme: an office on plain http in a LAN must still log in. */
export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/admin',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		expires: expiresAt
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, { path: '/admin', secure: url.protocol === 'https:' });
}
