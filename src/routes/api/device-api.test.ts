import type { RequestEvent } from '@sveltejs/kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_PUSH_BODY_BYTES } from '$lib/protocol/limits';
import { getDatabase } from '$lib/server/db/connection';
import { expectApiError, useTemporaryDataDir } from '$lib/server/testing/api-calls';
import { mintEnrollmentCode } from '$lib/server/devices/enrollment';
import { seedLargeCommunity, type LargeCommunitySummary } from '$lib/server/seed/large-community';
import { pushRequest, redemptionEvent } from '$lib/server/testing/fixtures';
import { withFullDisk } from '$lib/server/testing/full-disk';
import { POST as enroll } from './devices/enroll/+server';
import { GET as pull } from './sync/pull/+server';
import { POST as push } from './sync/push/+server';

/*
 * The device API as a device meets it: the route handlers called with real Request objects
 * against a real database in a temporary DATA_DIR.
 */

useTemporaryDataDir('credit-shop-api-');
let community: LargeCommunitySummary;
let token: string;
let deviceId: string;

function call(
	handler: (event: RequestEvent) => Promise<Response> | Response,
	url: string,
	init?: RequestInit
): Promise<Response> {
	const request = new Request(new URL(url, 'http://kiosk.test'), init);
	// Only the parts of a RequestEvent our API handlers read.
	const event = {
		request,
		url: new URL(request.url),
		getClientAddress: () => '192.0.2.1'
	} as unknown as RequestEvent;
	return Promise.resolve(handler(event));
}

function authorized(body: BodyInit, headers: Record<string, string> = {}): RequestInit {
	return {
		method: 'POST',
		body,
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
		// @ts-expect-error -- Node needs `duplex` for stream bodies; the DOM types do not know it
		duplex: 'half'
	};
}

beforeAll(async () => {
	const db = await getDatabase();
	community = await seedLargeCommunity(db, { residents: 5, slug: 'api-test' });
	const { code } = await mintEnrollmentCode(db, {
		communityId: community.communityId,
		kind: 'kiosk'
	});
	const response = await call(enroll, '/api/devices/enroll', {
		method: 'POST',
		body: JSON.stringify({ code, kind: 'kiosk' }),
		headers: { 'content-type': 'application/json' }
	});
	expect(response.status).toBe(201);
	({ token, deviceId } = (await response.json()) as { token: string; deviceId: string });
});

describe('device API routes', () => {
	it('applies a pushed redemption and pulls the new balance', async () => {
		const event = await redemptionEvent(
			await getDatabase(),
			{ id: deviceId, community_id: community.communityId },
			{
				residentId: community.residentIds[0]!,
				lines: [{ itemId: community.itemIds[0]!, quantity: 1, unitPoints: 0 }]
			}
		);
		const pushed = await call(
			push,
			'/api/sync/push',
			authorized(JSON.stringify(pushRequest([event])))
		);
		expect(pushed.status).toBe(200);
		const { results } = (await pushed.json()) as {
			results: Array<{ status: string; seq: number }>;
		};
		expect(results).toMatchObject([{ status: 'applied' }]);

		const pulled = await call(pull, `/api/sync/pull?after=${results[0]!.seq - 1}`, {
			headers: { authorization: `Bearer ${token}` }
		});
		expect(pulled.status).toBe(200);
		const page = (await pulled.json()) as {
			changes: Array<{ entity: string; data: { id: number } }>;
		};
		expect(page.changes.map((c) => c.entity)).toContain('item');
	});

	it('tells a kiosk the name the office gives it now, after a rename', async () => {
		const db = await getDatabase();
		await db.updateTable('devices').set({ name: '北门柜台' }).where('id', '=', deviceId).execute();
		const pulled = await call(pull, '/api/sync/pull?after=0', {
			headers: { authorization: `Bearer ${token}` }
		});
		expect(((await pulled.json()) as { deviceName?: string }).deviceName).toBe('北门柜台');
	});

	it('refuses a push with no token, a wrong token or a revoked device with 401', async () => {
		const body = JSON.stringify(pushRequest([{}]));
		await expectApiError(
			await call(push, '/api/sync/push', {
				method: 'POST',
				body,
				headers: { 'content-type': 'application/json' }
			}),
			401,
			'unauthorized'
		);
		await expectApiError(
			await call(
				push,
				'/api/sync/push',
				authorized(body, { authorization: `Bearer ${'x'.repeat(43)}` })
			),
			401,
			'unauthorized'
		);
		await expectApiError(await call(pull, '/api/sync/pull?after=0'), 401, 'unauthorized');
	});

	it('answers malformed JSON with 400 invalid_json', async () => {
		await expectApiError(
			await call(push, '/api/sync/push', authorized('{"events": [')),
			400,
			'invalid_json'
		);
	});

	it('answers a body that is JSON but not a push with 400 invalid_body', async () => {
		await expectApiError(
			await call(push, '/api/sync/push', authorized(JSON.stringify({ events: 'none' }))),
			400,
			'invalid_body'
		);
	});

	it('answers a body declared larger than the limit with 413 before reading it', async () => {
		await expectApiError(
			await call(
				push,
				'/api/sync/push',
				authorized('{}', { 'content-length': String(MAX_PUSH_BODY_BYTES + 1) })
			),
			413,
			'body_too_large'
		);
	});

	it('counts the bytes of a body that declares no length and answers 413', async () => {
		const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
		let sent = 0;
		const stream = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (sent > MAX_PUSH_BODY_BYTES * 1.5) return controller.close();
				sent += chunk.byteLength;
				controller.enqueue(chunk);
			}
		});
		await expectApiError(
			await call(push, '/api/sync/push', authorized(stream)),
			413,
			'body_too_large'
		);
	});

	it('answers a bad pull cursor with 400', async () => {
		await expectApiError(
			await call(pull, '/api/sync/pull?after=-1', {
				headers: { authorization: `Bearer ${token}` }
			}),
			400,
			'bad_request'
		);
	});

	it('answers a full disk with 507 storage_full, keeps nothing, and applies the same push once room is back', async () => {
		const db = await getDatabase();
		const events = await Promise.all(
			Array.from({ length: 300 }, (_, i) =>
				redemptionEvent(
					db,
					{ id: deviceId, community_id: community.communityId },
					{
						residentId: community.residentIds[i % community.residentIds.length]!,
						lines: [{ itemId: community.itemIds[0]!, quantity: 1, unitPoints: 0 }]
					}
				)
			)
		);
		const body = JSON.stringify(pushRequest(events));
		const ledgerRows = async () =>
			Number(
				(
					await db
						.selectFrom('ledger_entries')
						.select(({ fn }) => fn.countAll<number>().as('n'))
						.executeTakeFirstOrThrow()
				).n
			);
		const before = await ledgerRows();
		await withFullDisk(db, async () => {
			const refused = await call(push, '/api/sync/push', authorized(body));
			await expectApiError(refused, 507, 'storage_full');
			expect(await ledgerRows()).toBe(before);
		});
		const accepted = await call(push, '/api/sync/push', authorized(body));
		expect(accepted.status).toBe(200);
		const { results } = (await accepted.json()) as { results: Array<{ status: string }> };
		expect(results.every((result) => result.status === 'applied')).toBe(true);
		expect(await ledgerRows()).toBe(before + events.length);
	});

	it('answers a push with another content type than JSON with the JSON error shape', async () => {
		const body = JSON.stringify(pushRequest([]));
		for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
			const response = await call(
				push,
				'/api/sync/push',
				authorized(body, { 'content-type': type })
			);
			await expectApiError(response, 415, 'unsupported_media_type');
		}
	});

	it('refuses a used or unknown enrollment code', async () => {
		await expectApiError(
			await call(enroll, '/api/devices/enroll', {
				method: 'POST',
				body: JSON.stringify({ code: '1234-5678', kind: 'kiosk' }),
				headers: { 'content-type': 'application/json' }
			}),
			400,
			'invalid_code'
		);
	});
});
