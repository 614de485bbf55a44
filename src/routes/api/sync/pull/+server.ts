import { json } from '@sveltejs/kit';
import { PullQuerySchema } from '$lib/protocol/sync';
import { getDatabase } from '$lib/server/db/connection';
import { requireDevice } from '$lib/server/devices/device-auth';
import { ApiFailure, apiHandler } from '$lib/server/http/api-errors';
import { readChangePage } from '$lib/server/sync/pull';
import * as v from 'valibot';

export const GET = apiHandler(async ({ request, url }) => {
	const db = await getDatabase();
	const device = await requireDevice(db, request, 'kiosk');
	const query = v.safeParse(PullQuerySchema, {
		after: url.searchParams.get('after') ?? undefined,
		limit: url.searchParams.get('limit') ?? undefined
	});
	if (!query.success) {
		throw new ApiFailure('bad_request', '参数 after 必须是非负整数，limit 必须是正整数');
	}
	const page = await readChangePage(
		db,
		device.community_id,
		query.output.after,
		query.output.limit
	);
	return json({ ...page, deviceName: device.name }, { headers: { 'cache-control': 'no-store' } });
});
