import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db/connection';
import { storyPictureSvg } from '$lib/server/seed/story-picture';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const id = Number(params.id);
	if (!Number.isSafeInteger(id) || id < 1) error(404, '没有这个故事');
	const db = await getDatabase();
	const story = await db
		.selectFrom('display_stories')
		.select('title')
		.where('id', '=', id)
		.executeTakeFirst();
	if (!story) error(404, '没有这个故事');
	return new Response(storyPictureSvg(story), {
		headers: {
			'content-type': 'image/svg+xml; charset=utf-8',
			'cache-control': 'public, max-age=86400'
		}
	});
};
