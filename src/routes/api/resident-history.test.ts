import type { RequestEvent } from '@sveltejs/kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { signCredential } from '$lib/domain/credential';
import type { ResidentHistoryResponse } from '$lib/protocol/resident-history';
import { getDatabase } from '$lib/server/db/connection';
import type { DeviceRow } from '$lib/server/db/schema';
import { residentBalance } from '$lib/server/ledger/balances';
import { seedDemo, type DemoSeedSummary } from '$lib/server/seed/demo';
import { expectApiError, useTemporaryDataDir } from '$lib/server/testing/api-calls';
import {
	enrollTestDevice,
	pushRequest,
	redemptionEvent,
	residentCredential
} from '$lib/server/testing/fixtures';
import { applyPushBatch } from '$lib/server/sync/push';
import { POST as history } from './device/resident-history/+server';

/*
 * 我的积分记录 as a kiosk asks for it: the route called with real Requests against a real
 * database in a temporary DATA_DIR. The scanned card decides whose history is read.
 */

useTemporaryDataDir('credit-shop-history-');
let demo: DemoSeedSummary;
let kiosk: { device: DeviceRow; token: string };
let residents: number[];

function ask(body: string, token: string | null = kiosk.token): Promise<Response> {
	const request = new Request('http://kiosk.test/api/device/resident-history', {
		method: 'POST',
		body,
		headers: {
			'content-type': 'application/json',
			...(token === null ? {} : { authorization: `Bearer ${token}` })
		}
	});
	const event = {
		request,
		url: new URL(request.url),
		getClientAddress: () => '192.0.2.1'
	} as unknown as RequestEvent;
	return Promise.resolve(history(event));
}

async function historyOf(credential: string): Promise<ResidentHistoryResponse> {
	const response = await ask(JSON.stringify({ credential }));
	expect(response.status).toBe(200);
	expect(response.headers.get('cache-control')).toBe('no-store');
	return (await response.json()) as ResidentHistoryResponse;
}

async function entryOwners(ids: number[]): Promise<number[]> {
	const db = await getDatabase();
	const rows = await db
		.selectFrom('ledger_entries')
		.select('resident_id')
		.where('id', 'in', ids)
		.execute();
	return [...new Set(rows.map((row) => row.resident_id))];
}

beforeAll(async () => {
	const db = await getDatabase();
	demo = await seedDemo(db);
	kiosk = await enrollTestDevice(db, demo.communityId);
	const rows = await db
		.selectFrom('residents')
		.select('id')
		.where('community_id', '=', demo.communityId)
		.where('active', '=', 1)
		.where('id', 'not in', [demo.reissuedCardResidentId, demo.revokedCardResidentId])
		.execute();
	residents = rows.map((row) => row.id);
});

describe('POST /api/device/resident-history', () => {
	it('answers the scanned resident’s last 30 entries, newest first: earned with the rule, spent with the items, a correction with its reason', async () => {
		const db = await getDatabase();
		const residentId = residents[0]!;
		const goods = await db
			.selectFrom('items')
			.select(['id', 'name'])
			.where('community_id', '=', demo.communityId)
			.where('stock_tracked', '=', 1)
			.executeTakeFirstOrThrow();
		const earned = await db
			.selectFrom('ledger_entries')
			.select(['id', 'points'])
			.where('resident_id', '=', residentId)
			.where('reason', '=', 'earn')
			.executeTakeFirstOrThrow();
		const redemption = await redemptionEvent(db, kiosk.device, {
			residentId,
			lines: [{ itemId: goods.id, quantity: 2, unitPoints: 0 }],
			occurredAt: new Date(Date.now() - 60_000)
		});
		await applyPushBatch(db, kiosk.device, pushRequest([redemption]));
		const now = new Date().toISOString();
		await db
			.insertInto('ledger_entries')
			.values({
				community_id: demo.communityId,
				resident_id: residentId,
				points: -earned.points,
				reason: 'reversal',
				reverses_entry_id: earned.id,
				note: '重复登记',
				actor_kind: 'system',
				actor_id: 'test',
				occurred_at: now,
				recorded_at: now
			})
			.execute();

		const answer = await historyOf(await residentCredential(db, demo.communityId, residentId));

		expect(answer.entries.length).toBeGreaterThan(2);
		expect(answer.entries.length).toBeLessThanOrEqual(30);
		expect(answer.balance).toBe(await residentBalance(db, residentId));
		expect(answer.entries[0]).toMatchObject({
			kind: 'correction',
			title: '积分更正',
			points: -earned.points,
			details: ['重复登记']
		});
		expect(answer.entries[1]).toMatchObject({
			kind: 'spent',
			title: '兑换',
			points: 0,
			details: [`${goods.name} ×2`]
		});
		const earnedEntry = answer.entries.find((entry) => entry.kind === 'earned');
		expect(earnedEntry?.title).toMatch(/\p{Script=Han}/u);
		for (const entry of answer.entries) expect(entry.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		const dates = answer.entries.map((entry) => entry.date);
		expect([...dates].sort().reverse()).toEqual(dates);
		expect(await entryOwners(answer.entries.map((entry) => entry.id))).toEqual([residentId]);
	});

	it('reads only the card’s own resident, whatever else the body names', async () => {
		const db = await getDatabase();
		const [owner, other] = [residents[1]!, residents[2]!];
		const response = await ask(
			JSON.stringify({
				credential: await residentCredential(db, demo.communityId, owner),
				residentId: other
			})
		);
		const answer = (await response.json()) as ResidentHistoryResponse;
		expect(answer.entries.length).toBeGreaterThan(0);
		expect(await entryOwners(answer.entries.map((entry) => entry.id))).toEqual([owner]);
	});

	it('refuses a forged card, or one signed by another key, with 403 invalid_card', async () => {
		const db = await getDatabase();
		const genuine = await residentCredential(db, demo.communityId, residents[3]!);
		const at = genuine.length - 10;
		const forged = genuine.slice(0, at) + (genuine[at] === 'A' ? 'B' : 'A') + genuine.slice(at + 1);
		await expectApiError(await ask(JSON.stringify({ credential: forged })), 403, 'invalid_card');
		const pair = (await crypto.subtle.generateKey('Ed25519', true, [
			'sign',
			'verify'
		])) as CryptoKeyPair;
		const otherKey = await signCredential(
			{ kind: 'resident', communityId: demo.communityId, subjectId: residents[3]!, serial: 1 },
			pair.privateKey
		);
		await expectApiError(await ask(JSON.stringify({ credential: otherKey })), 403, 'invalid_card');
	});

	it('refuses a revoked card and a card replaced by a newer one', async () => {
		const db = await getDatabase();
		for (const residentId of [demo.revokedCardResidentId, demo.reissuedCardResidentId]) {
			const response = await ask(
				JSON.stringify({
					credential: await residentCredential(db, demo.communityId, residentId, 1)
				})
			);
			await expectApiError(response, 403, 'invalid_card');
		}
		// The reissued card itself works.
		const current = await historyOf(
			await residentCredential(db, demo.communityId, demo.reissuedCardResidentId, 2)
		);
		expect(current.entries.length).toBeGreaterThan(0);
	});

	it('refuses a moved-out resident’s card', async () => {
		const db = await getDatabase();
		const residentId = residents[4]!;
		await db.updateTable('residents').set({ active: 0 }).where('id', '=', residentId).execute();
		const response = await ask(
			JSON.stringify({ credential: await residentCredential(db, demo.communityId, residentId) })
		);
		await expectApiError(response, 403, 'invalid_card');
	});

	it('answers a malformed body with 400 and the JSON error shape', async () => {
		await expectApiError(await ask('{"credential": '), 400, 'invalid_json');
		await expectApiError(await ask(JSON.stringify({})), 400, 'invalid_body');
		await expectApiError(
			await ask(JSON.stringify({ credential: 'CS1.R.1.2.1.short' })),
			400,
			'invalid_body'
		);
		await expectApiError(
			await ask(JSON.stringify({ credential: `CS1.R.1.2.1.${'A'.repeat(10_000)}` })),
			400,
			'invalid_body'
		);
		await expectApiError(
			await ask(JSON.stringify({ credential: `CS1.S.1.2.1.${'A'.repeat(86)}` })),
			400,
			'invalid_body'
		);
	});

	it('refuses a call without a device token with 401', async () => {
		const db = await getDatabase();
		const credential = await residentCredential(db, demo.communityId, residents[5]!);
		await expectApiError(await ask(JSON.stringify({ credential }), null), 401, 'unauthorized');
	});
});
