import { error, redirect, type Cookies } from '@sveltejs/kit';
import { OFFICE_PAGES, type OfficePageKey, type OfficeRole } from '$lib/office/office-pages';
import { getDatabase } from '../db/connection';
import { SESSION_COOKIE, sessionAccount, type OfficeSession } from '../auth/sessions';

/**
 * The signed-in office account, or a redirect to the login page; a 403 page when its role is not
 * among `roles`. Call it in every load and every action: hiding a link is not a guard.
 */
export async function requireOfficeAccount(
	cookies: Cookies,
	roles?: readonly OfficeRole[]
): Promise<OfficeSession> {
	const account = await sessionAccount(await getDatabase(), cookies.get(SESSION_COOKIE));
	if (!account) redirect(303, '/admin/login');
	if (roles && !roles.includes(account.role)) error(403, '你的账号没有权限打开这个页面');
	return account;
}

/** The account, if its role may open the office page `page` (see office-pages.ts). */
export function requireOfficePage(cookies: Cookies, page: OfficePageKey): Promise<OfficeSession> {
	return requireOfficeAccount(cookies, OFFICE_PAGES[page].roles);
}

/** Only a 管理员: managing accounts, devices, cards, rules, the catalogue; approving points. */
export function requireAdmin(cookies: Cookies): Promise<OfficeSession> {
	return requireOfficeAccount(cookies, ['admin']);
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
