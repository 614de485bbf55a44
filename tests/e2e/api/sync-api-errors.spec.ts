import type { APIRequestContext } from '@playwright/test';
import { API_PATHS } from '../../../src/lib/protocol/api-paths';
import { MAX_PUSH_BODY_BYTES } from '../../../src/lib/protocol/limits';
import type { ItemSnapshot, ResidentSnapshot } from '../../../src/lib/protocol/sync';
import {
	bearer,
	enrollKioskByApi,
	pullEverything,
	pushEvents,
	redemptionEvent,
	type ApiDevice
} from '../fixtures/device-api';
import type { ServerDb } from '../fixtures/server-db';
import { forgeCard, signTestCard } from '../fixtures/test-cards';
import { expect, test } from '../fixtures/test';

/*
 * The device API refuses bad input with `{ error, message }` and the right status, and applies
 * each pushed event exactly once whatever the batch around it.
 */

async function expectJsonError(
	response: Awaited<ReturnType<APIRequestContext['post']>>,
	status: number,
	error: string
): Promise<void> {
	expect(response.status()).toBe(status);
	expect(response.headers()['content-type']).toContain('application/json');
	const body = (await response.json()) as { error: string; message: string };
	expect(body.error).toBe(error);
	expect(typeof body.message).toBe('string');
	expect(body.message.length).toBeGreaterThan(0);
}

/**
 * A resident with a card and points, their card's text (signed with the community's key, as a
 * kiosk scans it), and an item they can afford (a service, or goods in stock).
 */
async function somePurchase(
	request: APIRequestContext,
	device: ApiDevice,
	serverDb: ServerDb
): Promise<{ resident: ResidentSnapshot; item: ItemSnapshot; credential: string }> {
	const { residents, items } = await pullEverything(request, device);
	const sellable = [...items.values()]
		.filter((item) => item.active && (!item.stockTracked || item.stock > 5))
		.sort((a, b) => a.points - b.points);
	const item = sellable[0];
	if (!item) throw new Error('the demo catalogue has nothing to sell');
	// Not the richest residents: the camera spec redeems for those and checks their ledger.
	const resident = [...residents.values()]
		.filter((r) => r.activeSerials.length > 0 && r.balance >= item.points * 4)
		.sort((a, b) => a.balance - b.balance)[0];
	if (!resident) throw new Error('no demo resident can afford the cheapest item');
	const community = serverDb.community();
	const credential = await signTestCard(community.privateKey, {
		kind: 'resident',
		communityId: community.id,
		subjectId: resident.id,
		serial: resident.activeSerials[0]!
	});
	return { resident, item, credential };
}

test.describe('device API errors', () => {
	test('a push without a token is refused with 401', async ({ request }) => {
		const response = await request.post(API_PATHS.push, {
			data: { events: [{}], sentAt: new Date().toISOString() }
		});
		await expectJsonError(response, 401, 'unauthorized');
	});

	test('a push with a wrong token is refused with 401', async ({ request }) => {
		const response = await request.post(API_PATHS.push, {
			headers: bearer('not-a-real-token-but-long-enough-to-look-like-one'),
			data: { events: [{}], sentAt: new Date().toISOString() }
		});
		await expectJsonError(response, 401, 'unauthorized');
	});

	test('a pull without a token is refused with 401', async ({ request }) => {
		const response = await request.get(API_PATHS.pull(0));
		await expectJsonError(response, 401, 'unauthorized');
	});

	test('malformed JSON is refused with 400', async ({ request, mintEnrollCode }) => {
		const device = await enrollKioskByApi(request, await mintEnrollCode());
		const response = await request.post(API_PATHS.push, {
			headers: { ...bearer(device.token), 'content-type': 'application/json' },
			// A Buffer goes out as is; Playwright would JSON-encode a string.
			data: Buffer.from('{"events": [ {"id": ')
		});
		await expectJsonError(response, 400, 'invalid_json');
	});

	test('an oversized body is refused with 413', async ({ request, mintEnrollCode }) => {
		const device = await enrollKioskByApi(request, await mintEnrollCode());
		const padding = 'x'.repeat(MAX_PUSH_BODY_BYTES + 1000);
		const response = await request.post(API_PATHS.push, {
			headers: { ...bearer(device.token), 'content-type': 'application/json' },
			data: Buffer.from(JSON.stringify({ events: [{ padding }], sentAt: new Date().toISOString() }))
		});
		await expectJsonError(response, 413, 'body_too_large');
	});

	test('a malformed enrollment is refused with 400 and a JSON error', async ({ request }) => {
		const response = await request.post(API_PATHS.enroll, { data: { code: 'abc', kind: 'kiosk' } });
		expect(response.status()).toBe(400);
		const body = (await response.json()) as { error: string; message: string };
		expect(body.error).toMatch(/invalid_body|invalid_code|bad_request/);
	});
});

test.describe('pushing events exactly once', () => {
	test('the good events of a batch are applied and the bad one is rejected with a reason', async ({
		request,
		mintEnrollCode,
		serverDb
	}) => {
		const device = await enrollKioskByApi(request, await mintEnrollCode());
		const { resident, item, credential } = await somePurchase(request, device, serverDb);
		const cardSerial = resident.activeSerials[0]!;
		const line = { itemId: item.id, quantity: 1, unitPoints: item.points };
		const good1 = redemptionEvent(device, {
			residentId: resident.id,
			cardSerial,
			credential,
			lines: [line]
		});
		const bad = redemptionEvent(device, {
			residentId: resident.id,
			cardSerial,
			credential,
			lines: [{ itemId: 2 ** 31 - 1, quantity: 1, unitPoints: 1 }]
		});
		const good2 = redemptionEvent(device, {
			residentId: resident.id,
			cardSerial,
			credential,
			lines: [line]
		});

		const { response, body } = await pushEvents(request, device, [good1, bad, good2]);

		expect(response.status()).toBe(200);
		expect(body.results.map((result) => [result.id, result.status])).toEqual([
			[good1.id, 'applied'],
			[bad.id, 'rejected'],
			[good2.id, 'applied']
		]);
		const rejected = body.results[1];
		expect(rejected?.status === 'rejected' && rejected.reason).toBe('unknown_item');
		expect(serverDb.ledgerEntriesOfEvent(good1.id)).toHaveLength(1);
		expect(serverDb.ledgerEntriesOfEvent(good2.id)).toHaveLength(1);
		expect(serverDb.ledgerEntriesOfEvent(bad.id)).toHaveLength(0);
	});

	test('an event that is not an event at all is rejected, and the batch still answers', async ({
		request,
		mintEnrollCode,
		serverDb
	}) => {
		const device = await enrollKioskByApi(request, await mintEnrollCode());
		const { resident, item, credential } = await somePurchase(request, device, serverDb);
		const good = redemptionEvent(device, {
			residentId: resident.id,
			cardSerial: resident.activeSerials[0]!,
			credential,
			lines: [{ itemId: item.id, quantity: 1, unitPoints: item.points }]
		});
		const shapeless = { id: crypto.randomUUID(), deviceId: device.deviceId, type: 'redemption' };

		const { body } = await pushEvents(request, device, [shapeless, good]);

		expect(body.results.map((result) => result.status)).toEqual(['rejected', 'applied']);
		const first = body.results[0];
		expect(first?.status === 'rejected' && first.reason).toBe('invalid_event');
	});

	test('a redemption with a forged card, or a garbled one, is refused and spends nothing', async ({
		request,
		mintEnrollCode,
		serverDb
	}) => {
		const device = await enrollKioskByApi(request, await mintEnrollCode());
		const { resident, item, credential } = await somePurchase(request, device, serverDb);
		const purchase = {
			residentId: resident.id,
			cardSerial: resident.activeSerials[0]!,
			lines: [{ itemId: item.id, quantity: 1, unitPoints: item.points }]
		};
		const forged = redemptionEvent(device, { ...purchase, credential: forgeCard(credential) });
		const garbled = redemptionEvent(device, { ...purchase, credential: '<script>1</script>' });
		const genuine = redemptionEvent(device, { ...purchase, credential });

		const { body } = await pushEvents(request, device, [forged, garbled, genuine]);

		expect(body.results.map((result) => result.status)).toEqual([
			'rejected',
			'rejected',
			'applied'
		]);
		expect(body.results[0]).toMatchObject({ reason: 'forged_card' });
		expect(body.results[1]).toMatchObject({ reason: 'invalid_event' });
		expect(serverDb.ledgerEntriesOfEvent(forged.id)).toHaveLength(0);
		expect(serverDb.ledgerEntriesOfEvent(garbled.id)).toHaveLength(0);
	});

	test('the same batch pushed twice answers duplicate and leaves one ledger entry per event', async ({
		request,
		mintEnrollCode,
		serverDb
	}) => {
		const device = await enrollKioskByApi(request, await mintEnrollCode());
		const { resident, item, credential } = await somePurchase(request, device, serverDb);
		const cardSerial = resident.activeSerials[0]!;
		const line = { itemId: item.id, quantity: 1, unitPoints: item.points };
		const batch = [
			redemptionEvent(device, { residentId: resident.id, cardSerial, credential, lines: [line] }),
			redemptionEvent(device, { residentId: resident.id, cardSerial, credential, lines: [line] })
		];
		const balanceBefore = serverDb.ledgerBalance(resident.id);

		const first = await pushEvents(request, device, batch);
		const second = await pushEvents(request, device, batch);

		expect(first.body.results.map((result) => result.status)).toEqual(['applied', 'applied']);
		expect(second.body.results.map((result) => result.status)).toEqual(['duplicate', 'duplicate']);
		for (const [index, event] of batch.entries()) {
			expect(serverDb.ledgerEntriesOfEvent(event.id)).toHaveLength(1);
			const firstResult = first.body.results[index];
			const secondResult = second.body.results[index];
			if (firstResult?.status !== 'rejected' && secondResult?.status !== 'rejected') {
				expect(secondResult?.seq).toBe(firstResult?.seq);
			}
		}
		expect(serverDb.ledgerBalance(resident.id)).toBe(balanceBefore - 2 * item.points);
	});

	test('an event id replayed by another device is rejected as an id conflict', async ({
		request,
		mintEnrollCode,
		serverDb
	}) => {
		const original = await enrollKioskByApi(request, await mintEnrollCode(), '终端甲');
		const other = await enrollKioskByApi(request, await mintEnrollCode(), '终端乙');
		const { resident, item, credential } = await somePurchase(request, original, serverDb);
		const event = redemptionEvent(original, {
			residentId: resident.id,
			cardSerial: resident.activeSerials[0]!,
			credential,
			lines: [{ itemId: item.id, quantity: 1, unitPoints: item.points }]
		});
		const applied = await pushEvents(request, original, [event]);
		expect(applied.body.results[0]?.status).toBe('applied');

		const replay = { ...event, deviceId: other.deviceId, deviceSeq: other.nextSeq++ };
		const { body } = await pushEvents(request, other, [replay]);

		const result = body.results[0];
		expect(result?.status).toBe('rejected');
		expect(result?.status === 'rejected' && result.reason).toBe('id_conflict');
		expect(serverDb.ledgerEntriesOfEvent(event.id)).toHaveLength(1);
	});
});
