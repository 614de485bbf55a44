import type { Kysely } from 'kysely';
import { importPublicKey, verifyCredential } from '$lib/domain/credential';
import type { Database } from '../db/schema';

/*
 * What a device call that acts for a resident proves with the scanned card's text: a redemption
 * pushed by a kiosk, a resident's own history. The signature is checked with the community's key
 * (a device token alone proves nothing about whose card was scanned), then the card against the
 * server's own card list, which knows revocations and moves at once. The callers decide what a
 * revoked card or a moved-out resident means: a redemption already handed goods over and is kept
 * and flagged; a history is simply not shown.
 */

export type ResidentCardProblem =
	/** Not a card text, a forged signature, or another community's card. */
	| 'forged'
	/** A genuine staff card: it names no resident. */
	| 'staff_card'
	/** Signed by our key, but the server has no such card (a restored database, a test key). */
	| 'unknown_card';

export interface ResidentCard {
	residentId: number;
	serial: number;
	/** Revoked (reported lost), or superseded by a newer card of the same resident. */
	revoked: boolean;
	/** The resident moved out. */
	movedOut: boolean;
}

export type ResidentCardCheck =
	{ ok: true; card: ResidentCard } | { ok: false; problem: ResidentCardProblem };

/**
 * The community's public key, imported once per call site that checks many cards (a pushed
 * batch): importing costs as much as verifying (≈0.17 ms each on a desktop CPU).
 */
export type CommunityKeys = Map<number, Promise<CryptoKey>>;

async function communityKey(
	db: Kysely<Database>,
	communityId: number,
	keys: CommunityKeys
): Promise<CryptoKey> {
	let key = keys.get(communityId);
	if (!key) {
		key = db
			.selectFrom('communities')
			.select('public_key')
			.where('id', '=', communityId)
			.executeTakeFirstOrThrow()
			.then((community) => importPublicKey(community.public_key));
		keys.set(communityId, key);
	}
	return key;
}

/** Checks a scanned resident card's text against the community's key and card list. */
export async function checkResidentCard(
	db: Kysely<Database>,
	communityId: number,
	text: string,
	keys: CommunityKeys = new Map()
): Promise<ResidentCardCheck> {
	const check = await verifyCredential(
		text,
		communityId,
		await communityKey(db, communityId, keys)
	);
	if (!check.ok) return { ok: false, problem: 'forged' };
	const { credential } = check;
	if (credential.kind !== 'resident') return { ok: false, problem: 'staff_card' };
	const card = await db
		.selectFrom('cards')
		.innerJoin('residents', 'residents.id', 'cards.resident_id')
		.select((eb) => [
			'cards.revoked_at',
			'residents.active',
			// A card replaced by a newer one is done, as the kiosk judges it (isSerialRevoked).
			eb
				.selectFrom('cards as newer')
				.select(eb.fn.countAll<number>().as('count'))
				.whereRef('newer.resident_id', '=', 'cards.resident_id')
				.where('newer.kind', '=', 'resident')
				.whereRef('newer.serial', '>', 'cards.serial')
				.as('newerCards')
		])
		.where('cards.community_id', '=', communityId)
		.where('cards.kind', '=', 'resident')
		.where('cards.resident_id', '=', credential.subjectId)
		.where('cards.serial', '=', credential.serial)
		.executeTakeFirst();
	if (!card) return { ok: false, problem: 'unknown_card' };
	return {
		ok: true,
		card: {
			residentId: credential.subjectId,
			serial: credential.serial,
			revoked: card.revoked_at !== null || Number(card.newerCards) > 0,
			movedOut: card.active !== 1
		}
	};
}
