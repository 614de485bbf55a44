import { json } from '@sveltejs/kit';
import { MAX_PUSH_BODY_BYTES } from '$lib/protocol/limits';
import { PushRequestSchema } from '$lib/protocol/sync';
import { getDatabase } from '$lib/server/db/connection';
import { requireDevice } from '$lib/server/devices/device-auth';
import { apiHandler, parseWith, readJsonBody } from '$lib/server/http/api-errors';
import { applyPushBatch } from '$lib/server/sync/push';

export const POST = apiHandler(async ({ request }) => {
	const db = await getDatabase();
	// Authenticate before reading the body, so strangers cannot make us parse a megabyte.
	const device = await requireDevice(db, request, 'kiosk');
	const body = parseWith(PushRequestSchema, await readJsonBody(request, MAX_PUSH_BODY_BYTES));
	return json(await applyPushBatch(db, device, body), { headers: { 'cache-control': 'no-store' } });
});
