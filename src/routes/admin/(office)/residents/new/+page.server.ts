import { fail, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db/connection';
import { readResidentForm } from '$lib/office/resident-form';
import { requireAdmin } from '$lib/server/office/guard';
import { createResident } from '$lib/server/office/residents';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies }) => {
	await requireAdmin(cookies);
};

export const actions: Actions = {
	default: async ({ cookies, request }) => {
		const account = await requireAdmin(cookies);
		const form = readResidentForm(await request.formData());
		if (!form.ok) return fail(400, { message: form.message, values: {} });
		const created = await createResident(
			await getDatabase(),
			{ communityId: account.community_id, accountId: account.id },
			form.values
		);
		if (!created.ok) return fail(400, { message: created.message, values: form.values });
		redirect(303, `/admin/residents/${created.id}?saved=1`);
	}
};
