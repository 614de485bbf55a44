import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { getDatabase } from '$lib/server/db/connection';
import {
	getItem,
	listItems,
	moveItem,
	setItemActive,
	type ItemStatusFilter
} from '$lib/server/office/catalogue';
import { requireAdmin, requireOfficePage } from '$lib/server/office/guard';
import type { Actions, PageServerLoad } from './$types';

const STATUS_FILTERS: readonly ItemStatusFilter[] = ['active', 'retired', 'all'];

export const load: PageServerLoad = async ({ cookies, url }) => {
	const account = await requireOfficePage(cookies, 'items');
	const asked = url.searchParams.get('status') as ItemStatusFilter | null;
	const status = asked && STATUS_FILTERS.includes(asked) ? asked : 'all';
	return { status, items: await listItems(await getDatabase(), account.community_id, status) };
};

const ItemIdSchema = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));
const MoveSchema = v.object({ itemId: ItemIdSchema, direction: v.picklist(['up', 'down']) });
const ActiveSchema = v.object({ itemId: ItemIdSchema, active: v.picklist(['0', '1']) });

export const actions: Actions = {
	move: async ({ cookies, request }) => {
		const account = await requireAdmin(cookies);
		const parsed = v.safeParse(MoveSchema, Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { message: '请选择要移动的商品' });
		const { itemId, direction } = parsed.output;
		const outcome = await moveItem(
			await getDatabase(),
			{ communityId: account.community_id, accountId: account.id },
			itemId,
			direction
		);
		if (!outcome.ok) return fail(400, { message: outcome.message });
		return { movedItemId: itemId };
	},
	setActive: async ({ cookies, request }) => {
		const account = await requireAdmin(cookies);
		const parsed = v.safeParse(ActiveSchema, Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { message: '请选择要上架或下架的商品' });
		const { itemId, active } = parsed.output;
		const db = await getDatabase();
		const outcome = await setItemActive(
			db,
			{ communityId: account.community_id, accountId: account.id },
			itemId,
			active === '1'
		);
		if (!outcome.ok) return fail(400, { message: outcome.message });
		const item = await getItem(db, account.community_id, itemId);
		// Said on the page: under 在售 a retired item leaves the list at once.
		return { done: `${active === '1' ? '已上架' : '已下架'}：${item?.name ?? ''}` };
	}
};
