import { json } from '@sveltejs/kit';
import { EnrollRequestSchema } from '$lib/protocol/devices';
import { MAX_SMALL_BODY_BYTES } from '$lib/protocol/limits';
import { getDatabase } from '$lib/server/db/connection';
import { enrollDevice } from '$lib/server/devices/enrollment';
import { ApiFailure, apiHandler, parseWith, readJsonBody } from '$lib/server/http/api-errors';

export const POST = apiHandler(async ({ request, getClientAddress }) => {
	const body = parseWith(EnrollRequestSchema, await readJsonBody(request, MAX_SMALL_BODY_BYTES));
	const outcome = await enrollDevice(await getDatabase(), body, {
		clientAddress: getClientAddress()
	});
	if (!outcome.ok) throw new ApiFailure(outcome.error, outcome.message);
	return json(outcome.enrollment, { status: 201, headers: { 'cache-control': 'no-store' } });
});
