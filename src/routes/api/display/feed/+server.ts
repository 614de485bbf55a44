import { json } from '@sveltejs/kit';
import * as v from 'valibot';
import { DisplayFeedQuerySchema } from '$lib/protocol/display-feed';
import { getDatabase } from '$lib/server/db/connection';
import { requireDevice } from '$lib/server/devices/device-auth';
import { buildDisplayFeed } from '$lib/server/display/feed';
import { feedIsUnchanged } from '$lib/server/display/feed-unchanged';
import { ApiFailure, apiHandler } from '$lib/server/http/api-errors';

export const GET = apiHandler(async ({ request, url }) => {
	const db = await getDatabase();
	const device = await requireDevice(db, request, 'display');
	const query = v.safeParse(DisplayFeedQuerySchema, {
		since: url.searchParams.get('since') ?? undefined
	});
	if (!query.success) throw new ApiFailure('bad_request', '参数 since 不正确');
	const feed = await buildDisplayFeed(db, device.community_id);
	if (!feed) throw new ApiFailure('not_found', '找不到这台设备所属的社区');
	const headers = { 'cache-control': 'no-store', etag: `"${feed.version}"` };
	if (feedIsUnchanged(feed.version, query.output.since, request.headers.get('if-none-match'))) {
		return new Response(null, { status: 204, headers });
	}
	return json(feed, { headers });
});
