import { error, fail, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db/connection';
import { readResidentForm } from '$lib/office/resident-form';
import { requireAdmin } from '$lib/server/office/guard';
import { residentDetail } from '$lib/server/office/resident-detail';
import { editHousehold, editResident } from '$lib/server/office/residents';
import type { Actions, PageServerLoad } from './$types';

function residentId(param: string): number {
	if (!/^\d{1,12}$/.test(param)) error(404, '没有找到这位居民');
	return Number(param);
}

export const load: PageServerLoad = async ({ cookies, params }) => {
	const account = await requireAdmin(cookies);
	const resident = await residentDetail(
		await getDatabase(),
		account.community_id,
		residentId(params.id)
	);
	if (!resident) error(404, '没有找到这位居民');
	const { household } = resident;
	const flat = household.room !== null;
	return {
		id: resident.id,
		name: resident.name,
		household: household.label,
		members: resident.members.length + 1,
		values: {
			name: resident.name,
			phone: resident.phone ?? '',
			building: flat ? household.building : '',
			unit: household.unit ?? '',
			room: household.room ?? '',
			freeLabel: flat ? '' : household.label
		}
	};
};

export const actions: Actions = {
	resident: async ({ cookies, params, request }) => {
		const account = await requireAdmin(cookies);
		const form = readResidentForm(await request.formData());
		if (!form.ok) return fail(400, { form: 'resident', message: form.message, values: {} });
		const result = await editResident(
			await getDatabase(),
			{ communityId: account.community_id, accountId: account.id },
			residentId(params.id),
			form.values
		);
		if (!result.ok) {
			return fail(400, { form: 'resident', message: result.message, values: form.values });
		}
		redirect(303, `/admin/residents/${params.id}?saved=1`);
	},
	household: async ({ cookies, params, request }) => {
		const account = await requireAdmin(cookies);
		const form = readResidentForm(await request.formData());
		if (!form.ok) return fail(400, { form: 'household', message: form.message, values: {} });
		const db = await getDatabase();
		const resident = await residentDetail(db, account.community_id, residentId(params.id));
		if (!resident) error(404, '没有找到这位居民');
		const result = await editHousehold(
			db,
			{ communityId: account.community_id, accountId: account.id },
			resident.household.id,
			form.values
		);
		if (!result.ok) {
			return fail(400, { form: 'household', message: result.message, values: form.values });
		}
		redirect(303, `/admin/residents/${params.id}?saved=1`);
	}
};
