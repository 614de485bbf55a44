import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { createSession } from '$lib/server/auth/sessions';
import { getDatabase } from '$lib/server/db/connection';
import { hasOfficeAccounts } from '$lib/server/office/accounts';
import { FirstStartSchema, createFirstCommunityAndAdmin } from '$lib/server/office/first-start';
import { setSessionCookie } from '$lib/server/office/guard';
import type { Actions, PageServerLoad } from './$types';

// A plain form needs no client code; hydrating it would clear what was typed before the scripts
// arrived (a slow office PC, or a test filling the form at once).
export const csr = false;

export const load: PageServerLoad = async () => {
	if (await hasOfficeAccounts(await getDatabase())) redirect(303, '/admin/login');
};

export const actions: Actions = {
	default: async ({ request, cookies, url }) => {
		const form = Object.fromEntries(await request.formData());
		const values = {
			communityName: String(form.communityName ?? ''),
			slug: String(form.slug ?? ''),
			username: String(form.username ?? ''),
			displayName: String(form.displayName ?? '')
		};
		if (form.password !== form.passwordAgain) {
			return fail(400, { values, message: '两次输入的密码不一样' });
		}
		const parsed = v.safeParse(FirstStartSchema, {
			...values,
			password: String(form.password ?? '')
		});
		if (!parsed.success) return fail(400, { values, message: parsed.issues[0].message });
		const db = await getDatabase();
		const outcome = await createFirstCommunityAndAdmin(db, parsed.output);
		if (!outcome.ok) return fail(400, { values, message: outcome.message });
		const session = await createSession(db, outcome.accountId);
		setSessionCookie(cookies, url, session.token, session.expiresAt);
		redirect(303, '/admin');
	}
};
