import { fail, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db/connection';
import { hasOfficeAccounts } from '$lib/server/office/accounts';
import { setSessionCookie } from '$lib/server/office/guard';
import { logInOfficeAccount } from '$lib/server/office/login';
import type { Actions, PageServerLoad } from './$types';

// A plain form needs no client code; hydrating it would clear what was typed before the scripts
// arrived (a slow office PC, or a test filling the form at once).
export const csr = false;

export const load: PageServerLoad = async () => {
	if (!(await hasOfficeAccounts(await getDatabase()))) redirect(303, '/admin/setup');
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '').slice(0, 60);
		const password = String(form.get('password') ?? '').slice(0, 200);
		if (!username || !password) return fail(400, { username, message: '请输入用户名和密码' });
		const outcome = await logInOfficeAccount(await getDatabase(), {
			username,
			password,
			clientAddress: getClientAddress()
		});
		if (!outcome.ok) return fail(outcome.status, { username, message: outcome.message });
		setSessionCookie(cookies, url, outcome.token, outcome.expiresAt);
		redirect(303, '/admin');
	}
};
