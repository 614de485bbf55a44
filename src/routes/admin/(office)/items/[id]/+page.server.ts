import { error, fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db/connection';
import { getItem, itemMovements, priceHistory, setItemActive } from '$lib/server/office/catalogue';
import { requireAdmin, requireOfficePage } from '$lib/server/office/guard';
import type { Actions, PageServerLoad } from './$types';

const MOVEMENTS_PER_PAGE = 20;

const itemId = (param: string) => (/^\d{1,9}$/.test(param) ? Number(param) : null);

export const load: PageServerLoad = async ({ cookies, params, url }) => {
	const account = await requireOfficePage(cookies, 'items');
	const db = await getDatabase();
	const id = itemId(params.id);
	const item = id === null ? null : await getItem(db, account.community_id, id);
	if (!item) error(404, '没有这个商品或服务');
	const asked = Number(url.searchParams.get('page'));
	const page = Number.isInteger(asked) && asked > 1 && asked < 100_000 ? asked : 1;
	const movements = await itemMovements(db, account.community_id, item.id, {
		offset: (page - 1) * MOVEMENTS_PER_PAGE,
		limit: MOVEMENTS_PER_PAGE
	});
	return {
		item,
		saved: url.searchParams.get('saved'),
		prices: await priceHistory(db, account.community_id, item.id),
		movements: movements.rows,
		page,
		pages: Math.max(1, Math.ceil(movements.total / MOVEMENTS_PER_PAGE))
	};
};

export const actions: Actions = {
	/** 上架 / 下架 from the item's own page. */
	setActive: async ({ cookies, params, request }) => {
		const account = await requireAdmin(cookies);
		const id = itemId(params.id);
		if (id === null) error(404, '没有这个商品或服务');
		const active = (await request.formData()).get('active');
		if (active !== '0' && active !== '1') return fail(400, { message: '请选择上架或下架' });
		const outcome = await setItemActive(
			await getDatabase(),
			{ communityId: account.community_id, accountId: account.id },
			id,
			active === '1'
		);
		if (!outcome.ok) return fail(400, { message: outcome.message });
		return { activeChanged: true };
	}
};
