import { fail, redirect } from '@sveltejs/kit';
import { itemFormValuesFrom } from '$lib/office/item-form';
import { dataDirectory, getDatabase } from '$lib/server/db/connection';
import { createItem, itemCategories, nextSortOrder } from '$lib/server/office/catalogue';
import { requireAdmin, requireOfficePage } from '$lib/server/office/guard';
import { readItemForm } from '$lib/server/office/item-upload';
import { readOfficeForm } from '$lib/server/office/office-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies }) => {
	const account = await requireOfficePage(cookies, 'items');
	const db = await getDatabase();
	return {
		categories: await itemCategories(db, account.community_id),
		sortOrder: await nextSortOrder(db, account.community_id)
	};
};

export const actions: Actions = {
	default: async ({ cookies, request }) => {
		const account = await requireAdmin(cookies);
		const read = await readOfficeForm(request);
		if (!read.ok) return fail(413, { message: read.message, values: null });
		const item = await readItemForm(read.form, dataDirectory());
		const values = itemFormValuesFrom(read.form);
		if (!item.ok) return fail(400, { message: item.message, values });
		const saved = await createItem(
			await getDatabase(),
			{ communityId: account.community_id, accountId: account.id },
			item.change
		);
		if (!saved.ok) return fail(400, { message: saved.message, values });
		redirect(303, `/admin/items/${saved.itemId}?saved=new`);
	}
};
