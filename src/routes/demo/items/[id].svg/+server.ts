import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db/connection';
import { itemPictureSvg } from '$lib/server/seed/item-picture';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const id = Number(params.id);
	if (!Number.isSafeInteger(id) || id < 1) error(404, '没有这个物品');
	const db = await getDatabase();
	const item = await db
		.selectFrom('items')
		.select(['name', 'category'])
		.where('id', '=', id)
		.executeTakeFirst();
	if (!item) error(404, '没有这个物品');
	return new Response(itemPictureSvg(item), {
		headers: {
			'content-type': 'image/svg+xml; charset=utf-8',
			'cache-control': 'public, max-age=86400'
		}
	});
};
