import { error } from '@sveltejs/kit';
import { dataDirectory } from '$lib/server/db/connection';
import { readStoredImage } from '$lib/server/uploads/images';
import type { RequestHandler } from './$types';

/** An item picture: public (kiosks show it), named by its content, so cached for a year. */
export const GET: RequestHandler = async ({ params }) => {
	const image = await readStoredImage(dataDirectory(), 'items', params.name);
	if (!image) error(404, '找不到这张图片');
	return new Response(image.bytes as BodyInit, {
		headers: {
			'content-type': image.contentType,
			'cache-control': 'public, max-age=31536000, immutable'
		}
	});
};
