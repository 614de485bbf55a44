import { afterEach, describe, expect, it } from 'vitest';
import { signCredential } from '$lib/domain/credential';
import { isSerialRevoked, lookupCard } from './card-lookup';
import type { KioskDb } from './local-db';
import { recordRedemption } from './redemption';
import {
	communityKeys,
	freshDb,
	item,
	resident,
	residentCard,
	seedEnrolledKiosk,
	type CommunityKeys
} from './testing/kiosk-fixtures';

let db: KioskDb;
let keys: CommunityKeys;

async function kiosk() {
	db = freshDb();
	keys = await communityKeys();
	await seedEnrolledKiosk(db, {
		publicKey: keys.publicKeyText,
		residents: [
			resident(1, { balance: 120 }),
			resident(2, { activeSerials: [3], revokedSerials: [1] })
		],
		items: [item(10, { points: 20 })]
	});
}

afterEach(() => db?.close());

describe('card lookup', () => {
	it('finds the resident of a valid card with the balance this kiosk may spend', async () => {
		await kiosk();
		await recordRedemption(db, {
			residentId: 1,
			cardSerial: 1,
			credential: await residentCard(keys),
			lines: [{ itemId: 10, quantity: 1, unitPoints: 20 }],
			offline: true
		});
		const result = await lookupCard(db, await residentCard(keys));
		expect(result).toMatchObject({
			ok: true,
			resident: { id: 1, maskedName: '张*凤' },
			cardSerial: 1,
			available: 100,
			pullTooOld: false
		});
	});

	it('accepts the text with stray whitespace from a keyboard-wedge scanner', async () => {
		await kiosk();
		expect((await lookupCard(db, `  ${await residentCard(keys)}\r\n`)).ok).toBe(true);
	});

	it.each([
		['empty', ''],
		['garbage', '你好 hello'],
		['truncated', 'CS1.R.1.1.1.abc']
	])('calls %s text unreadable', async (_, text) => {
		await kiosk();
		expect(await lookupCard(db, text)).toEqual({ ok: false, problem: 'unreadable' });
	});

	it('calls a card signed by another key forged', async () => {
		await kiosk();
		const forger = await communityKeys();
		expect(await lookupCard(db, await residentCard(forger))).toEqual({
			ok: false,
			problem: 'forged'
		});
	});

	it('tells a valid card of another community apart', async () => {
		await kiosk();
		expect(await lookupCard(db, await residentCard(keys, { communityId: 2 }))).toEqual({
			ok: false,
			problem: 'foreign_community'
		});
	});

	it('refuses a revoked serial and one older than the card the resident holds now', async () => {
		await kiosk();
		expect(await lookupCard(db, await residentCard(keys, { subjectId: 2, serial: 1 }))).toEqual({
			ok: false,
			problem: 'revoked'
		});
		expect(await lookupCard(db, await residentCard(keys, { subjectId: 2, serial: 2 }))).toEqual({
			ok: false,
			problem: 'revoked'
		});
		expect((await lookupCard(db, await residentCard(keys, { subjectId: 2, serial: 3 }))).ok).toBe(
			true
		);
	});

	it('refuses the card of a resident the last pull marked as moved out, with its own problem', async () => {
		db = freshDb();
		keys = await communityKeys();
		await seedEnrolledKiosk(db, {
			publicKey: keys.publicKeyText,
			residents: [resident(1, { active: false }), resident(2, { active: true }), resident(3)]
		});
		expect(await lookupCard(db, await residentCard(keys))).toEqual({
			ok: false,
			problem: 'moved_out'
		});
		expect((await lookupCard(db, await residentCard(keys, { subjectId: 2 }))).ok).toBe(true);
		// A snapshot without the flag (an older server) means living here.
		expect((await lookupCard(db, await residentCard(keys, { subjectId: 3 }))).ok).toBe(true);
	});

	it('trusts a newer serial than any pulled yet: the card was issued since', () => {
		expect(isSerialRevoked(resident(5, { activeSerials: [1] }), 2)).toBe(false);
		expect(isSerialRevoked(resident(5, { activeSerials: [], revokedSerials: [1] }), 2)).toBe(false);
	});

	it('says when the resident is not on this kiosk', async () => {
		await kiosk();
		expect(await lookupCard(db, await residentCard(keys, { subjectId: 77 }))).toEqual({
			ok: false,
			problem: 'unknown_resident'
		});
	});

	it('recognises a staff card and says so', async () => {
		await kiosk();
		const staff = await signCredential(
			{ kind: 'staff', communityId: 1, subjectId: 9, serial: 1 },
			keys.privateKey
		);
		expect(await lookupCard(db, staff)).toEqual({ ok: false, problem: 'staff_card', staffId: 9 });
	});

	it('says not enrolled before enrollment and after the server revoked the kiosk', async () => {
		db = freshDb();
		keys = await communityKeys();
		const card = await residentCard(keys);
		expect(await lookupCard(db, card)).toEqual({ ok: false, problem: 'not_enrolled' });
		await seedEnrolledKiosk(db, { publicKey: keys.publicKeyText, residents: [resident(1)] });
		expect((await lookupCard(db, card)).ok).toBe(true);
		await db.meta.put({ key: 'needsEnrollment', value: true });
		expect(await lookupCard(db, card)).toEqual({ ok: false, problem: 'not_enrolled' });
	});

	it('uses the new key after a pull brought one', async () => {
		await kiosk();
		const card = await residentCard(keys);
		expect((await lookupCard(db, card)).ok).toBe(true);
		const rotated = await communityKeys();
		const community = (await db.meta.get('community'))!.value as object;
		await db.meta.put({
			key: 'community',
			value: { ...community, publicKey: rotated.publicKeyText }
		});
		expect(await lookupCard(db, card)).toEqual({ ok: false, problem: 'forged' });
		expect((await lookupCard(db, await residentCard(rotated))).ok).toBe(true);
	});

	it('warns when the last pull is too old, without refusing the lookup', async () => {
		await kiosk();
		const later = Date.now() + 100 * 3_600_000;
		expect(await lookupCard(db, await residentCard(keys), later)).toMatchObject({
			ok: true,
			pullTooOld: true
		});
	});
});
