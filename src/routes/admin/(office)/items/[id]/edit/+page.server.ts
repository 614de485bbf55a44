import { error, fail, redirect } from '@sveltejs/kit';
import { itemFormValuesFrom } from '$lib/office/item-form';
import { dataDirectory, getDatabase } from '$lib/server/db/connection';
import { getItem, itemCategories, updateItem } from '$lib/server/office/catalogue';
import { requireAdmin, requireOfficePage } from '$lib/server/office/guard';
import { readItemForm } from '$lib/server/office/item-upload';
import { readOfficeForm } from '$lib/server/office/office-form';
import type { Actions, PageServerLoad } from './$types';

const itemId = (param: string) => (/^\d{1,9}$/.test(param) ? Number(param) : null);

export const load: PageServerLoad = async ({ cookies, params }) => {
	const account = await requireOfficePage(cookies, 'items');
	const db = await getDatabase();
	const id = itemId(params.id);
	const item = id === null ? null : await getItem(db, account.community_id, id);
	if (!item) error(404, '没有这个商品或服务');
	return { item, categories: await itemCategories(db, account.community_id) };
};

export const actions: Actions = {
	default: async ({ cookies, params, request }) => {
		const account = await requireAdmin(cookies);
		const id = itemId(params.id);
		if (id === null) error(404, '没有这个商品或服务');
		const read = await readOfficeForm(request);
		if (!read.ok) return fail(413, { message: read.message, values: null });
		const item = await readItemForm(read.form, dataDirectory());
		const values = itemFormValuesFrom(read.form);
		if (!item.ok) return fail(400, { message: item.message, values });
		const saved = await updateItem(
			await getDatabase(),
			{ communityId: account.community_id, accountId: account.id },
			id,
			item.change
		);
		if (!saved.ok) return fail(400, { message: saved.message, values });
		redirect(303, `/admin/items/${id}?saved=edit`);
	}
};
