import { json } from '@sveltejs/kit';
import { MAX_SMALL_BODY_BYTES } from '$lib/protocol/limits';
import { ResidentHistoryRequestSchema } from '$lib/protocol/resident-history';
import { getDatabase } from '$lib/server/db/connection';
import { requireDevice } from '$lib/server/devices/device-auth';
import { ApiFailure, apiHandler, parseWith, readJsonBody } from '$lib/server/http/api-errors';
import { ownHistory } from '$lib/server/ledger/own-history';

/** 我的积分记录: POST { credential } → the scanned card's resident's last entries. */
export const POST = apiHandler(async ({ request }) => {
	const db = await getDatabase();
	const device = await requireDevice(db, request, 'kiosk');
	const body = parseWith(
		ResidentHistoryRequestSchema,
		await readJsonBody(request, MAX_SMALL_BODY_BYTES)
	);
	const outcome = await ownHistory(db, device.community_id, body.credential);
	if (!outcome.ok) throw new ApiFailure('invalid_card', outcome.message);
	// A resident's own record: no cache anywhere may keep it.
	return json(outcome.history, { headers: { 'cache-control': 'no-store' } });
});
