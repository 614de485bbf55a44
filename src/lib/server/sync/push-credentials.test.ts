import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCredential } from '$lib/domain/credential';
import { residentBalances } from '../ledger/balances';
import { seedDemo, type DemoSeedSummary } from '../seed/demo';
import {
	enrollTestDevice,
	pushRequest,
	redemptionEvent,
	residentCredential,
	type EnrolledDevice
} from '../testing/fixtures';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { applyPushBatch } from './push';

/*
 * A redemption carries the scanned card's text, and the server believes the card, not the
 * kiosk: a stolen device token alone cannot spend anyone's points.
 */

let temp: TempDatabase;
let demo: DemoSeedSummary;
let kiosk: EnrolledDevice;
let residents: number[];
let service: { id: number; points: number };

function takeResident(): number {
	const id = residents.shift();
	if (id === undefined) throw new Error('ran out of residents with points');
	return id;
}

function purchase(residentId: number, credential?: string) {
	return redemptionEvent(temp.db, kiosk.device, {
		residentId,
		credential,
		lines: [{ itemId: service.id, quantity: 1, unitPoints: service.points }]
	});
}

async function ledgerRowsFor(eventId: string) {
	return temp.db.selectFrom('ledger_entries').selectAll().where('event_id', '=', eventId).execute();
}

/** The same card text with one signature character changed: well formed, but forged. */
function forge(credential: string): string {
	const at = credential.length - 10;
	return credential.slice(0, at) + (credential[at] === 'A' ? 'B' : 'A') + credential.slice(at + 1);
}

beforeAll(async () => {
	temp = await openTempDatabase();
	demo = await seedDemo(temp.db);
	kiosk = await enrollTestDevice(temp.db, demo.communityId);
	const rows = await temp.db
		.selectFrom('residents')
		.select('id')
		.where('community_id', '=', demo.communityId)
		.where('active', '=', 1)
		.where('id', 'not in', [demo.reissuedCardResidentId, demo.revokedCardResidentId])
		.execute();
	const balances = await residentBalances(
		temp.db,
		rows.map((r) => r.id)
	);
	residents = [...balances].filter(([, balance]) => balance >= 60).map(([id]) => id);
	service = await temp.db
		.selectFrom('items')
		.select(['id', 'points'])
		.where('community_id', '=', demo.communityId)
		.where('stock_tracked', '=', 0)
		.executeTakeFirstOrThrow();
});
afterAll(() => temp.dispose());

describe('the card credential of a pushed redemption', () => {
	it('applies a redemption whose card is the resident’s own, signed by the community', async () => {
		const event = await purchase(takeResident());
		const { results } = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		expect(results[0]).toEqual({ id: event.id, status: 'applied', seq: expect.any(Number) });
		expect(await ledgerRowsFor(event.id)).toHaveLength(1);
	});

	it('refuses a forged signature as forged_card and applies the others of the batch', async () => {
		const residentId = takeResident();
		const genuine = await residentCredential(temp.db, demo.communityId, residentId);
		const before = await purchase(residentId);
		const forged = await purchase(residentId, forge(genuine));
		const after = await purchase(residentId);
		const { results } = await applyPushBatch(
			temp.db,
			kiosk.device,
			pushRequest([before, forged, after])
		);
		expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
		expect(results[1]).toMatchObject({ reason: 'forged_card', message: expect.any(String) });
		expect(await ledgerRowsFor(forged.id)).toHaveLength(0);
		const received = await temp.db
			.selectFrom('received_events')
			.select('status')
			.where('id', '=', forged.id)
			.executeTakeFirstOrThrow();
		// Kept with its answer: a resend is answered the same, never applied later.
		expect(received.status).toBe('rejected');
	});

	it('refuses a card signed by another key for our community', async () => {
		const pair = (await crypto.subtle.generateKey('Ed25519', true, [
			'sign',
			'verify'
		])) as CryptoKeyPair;
		const residentId = takeResident();
		const credential = await signCredential(
			{ kind: 'resident', communityId: demo.communityId, subjectId: residentId, serial: 1 },
			pair.privateKey
		);
		const event = await purchase(residentId, credential);
		const { results } = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		expect(results[0]).toMatchObject({ status: 'rejected', reason: 'forged_card' });
	});

	it('refuses another resident’s genuine card as card_mismatch', async () => {
		const spender = takeResident();
		const cardOwner = takeResident();
		const event = await purchase(
			spender,
			await residentCredential(temp.db, demo.communityId, cardOwner)
		);
		const { results } = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		expect(results[0]).toMatchObject({ status: 'rejected', reason: 'card_mismatch' });
		expect(await ledgerRowsFor(event.id)).toHaveLength(0);
	});

	it('refuses a genuine card whose serial is not the one the event names', async () => {
		const event = await redemptionEvent(temp.db, kiosk.device, {
			residentId: demo.reissuedCardResidentId,
			cardSerial: 2,
			credential: await residentCredential(
				temp.db,
				demo.communityId,
				demo.reissuedCardResidentId,
				1
			),
			lines: [{ itemId: service.id, quantity: 1, unitPoints: 0 }]
		});
		const { results } = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		expect(results[0]).toMatchObject({ status: 'rejected', reason: 'card_mismatch' });
	});

	it.each([
		['garbled text', 'not a card at all'],
		['a card cut short', 'CS1.R.1.2.1.abc'],
		['a staff card shape', `CS1.S.1.2.1.${'A'.repeat(86)}`],
		['an endless text', `CS1.R.1.2.1.${'A'.repeat(5000)}`]
	])('refuses %s as an invalid event, by its shape', async (_, credential) => {
		const event = await purchase(takeResident(), credential);
		const { results } = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		expect(results[0]).toMatchObject({
			status: 'rejected',
			reason: 'invalid_event',
			message: expect.stringContaining('credential')
		});
		expect(await ledgerRowsFor(event.id)).toHaveLength(0);
	});

	it('applies a redemption made with a revoked card, flagged for review (the goods have left)', async () => {
		const event = await redemptionEvent(temp.db, kiosk.device, {
			residentId: demo.revokedCardResidentId,
			cardSerial: 1,
			offline: true,
			lines: [{ itemId: service.id, quantity: 1, unitPoints: 0 }]
		});
		const { results } = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		expect(results[0]).toMatchObject({ status: 'applied', flagged: true, flags: ['revoked_card'] });
		const flags = await temp.db
			.selectFrom('review_flags')
			.select('kind')
			.where('event_id', '=', event.id)
			.execute();
		expect(flags).toEqual([{ kind: 'revoked_card' }]);
	});

	it('applies a moved-out resident’s redemption with a moved_out review flag for the office', async () => {
		const residentId = takeResident();
		await temp.db
			.updateTable('residents')
			.set({ active: 0 })
			.where('id', '=', residentId)
			.execute();
		const event = await purchase(residentId);
		const { results } = await applyPushBatch(temp.db, kiosk.device, pushRequest([event]));
		expect(results[0]).toMatchObject({ status: 'applied', flagged: true, flags: ['moved_out'] });
		const entries = await ledgerRowsFor(event.id);
		expect(entries).toHaveLength(1);
		const flags = await temp.db
			.selectFrom('review_flags')
			.select(['kind', 'resident_id', 'ledger_entry_id', 'resolved_at'])
			.where('event_id', '=', event.id)
			.execute();
		expect(flags).toEqual([
			{
				kind: 'moved_out',
				resident_id: residentId,
				ledger_entry_id: entries[0]!.id,
				resolved_at: null
			}
		]);
		// The flag says it; the warning column stays for what has no flag (a clock far off).
		const received = await temp.db
			.selectFrom('received_events')
			.select('warning')
			.where('id', '=', event.id)
			.executeTakeFirstOrThrow();
		expect(received.warning).toBeNull();
	});
});
