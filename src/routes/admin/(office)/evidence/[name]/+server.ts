import { error } from '@sveltejs/kit';
import { dataDirectory } from '$lib/server/db/connection';
import { requireOfficePage } from '$lib/server/office/guard';
import { readStoredImage } from '$lib/server/uploads/images';
import type { RequestHandler } from './$types';

/** An evidence photo of a points record: for office accounts only, never stored by proxies. */
export const GET: RequestHandler = async ({ params, cookies }) => {
	await requireOfficePage(cookies, 'points');
	const image = await readStoredImage(dataDirectory(), 'evidence', params.name);
	if (!image) error(404, '找不到这张照片');
	return new Response(image.bytes as BodyInit, {
		headers: { 'content-type': image.contentType, 'cache-control': 'private, max-age=86400' }
	});
};
