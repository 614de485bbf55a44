/**
 * From scanned text to a resident, entirely offline: the card's signature is checked with the
 * community's public key (kept in the local meta table), its serial against the revocations of
 * the last pull, and the resident's balance against this kiosk's pending redemptions.
 */
import {
	importPublicKey,
	stripScannerWhitespace,
	verifyCredential,
	type Credential,
	type CredentialProblem
} from '$lib/domain/credential';
import { isPullTooOld } from '$lib/domain/offline-limits';
import type { CommunitySnapshot, ResidentSnapshot } from '$lib/protocol/sync';
import { residentWithAvailable } from './balances';
import { getMetas, type KioskDb } from './local-db';

export type CardProblem =
	| 'not_enrolled'
	| 'unreadable'
	| 'foreign_community'
	| 'forged'
	| 'revoked'
	| 'moved_out'
	| 'unknown_resident'
	| 'staff_card';

export type CardCheckProblem = CredentialProblem | 'not_enrolled';

export type CardLookupResult =
	| {
			ok: true;
			resident: ResidentSnapshot;
			cardSerial: number;
			/** The card's text as scanned (scanner whitespace removed): each redemption carries it. */
			credential: string;
			/** Balance the resident may spend now on this kiosk. */
			available: number;
			/** The kiosk's last pull is too old: it will refuse redemptions until it syncs. */
			pullTooOld: boolean;
	  }
	| { ok: false; problem: CardProblem; staffId?: number };

// Importing the key costs far more than verifying with it; keep one per database and key text.
const keyCache = new WeakMap<KioskDb, { publicKey: string; key: Promise<CryptoKey> }>();

function communityKey(db: KioskDb, community: CommunitySnapshot): Promise<CryptoKey> {
	const cached = keyCache.get(db);
	if (cached && cached.publicKey === community.publicKey) return cached.key;
	const key = importPublicKey(community.publicKey);
	keyCache.set(db, { publicKey: community.publicKey, key });
	// A bad key must not stay cached: the next pull may bring a good one.
	key.catch(() => keyCache.delete(db));
	return key;
}

/**
 * A serial the last pull listed as revoked, or one older than a card the resident holds now
 * (it was replaced), is refused. A newer serial than any we know is a card issued since the last
 * pull: its signature is proof enough.
 */
export function isSerialRevoked(resident: ResidentSnapshot, serial: number): boolean {
	if (resident.revokedSerials.includes(serial)) return true;
	if (resident.activeSerials.includes(serial)) return false;
	return resident.activeSerials.some((active) => active > serial);
}

/**
 * Checks a scanned text's signature and community against the kiosk's enrollment, offline.
 * Shared by resident cards (here) and staff cards (shop/staff.ts).
 */
export async function verifyScannedCard(
	db: KioskDb,
	scannedText: string
): Promise<{ ok: true; credential: Credential } | { ok: false; problem: CardCheckProblem }> {
	const { device, community, needsEnrollment } = await getMetas(db, [
		'device',
		'community',
		'needsEnrollment'
	] as const);
	if (!device || !community || needsEnrollment) return { ok: false, problem: 'not_enrolled' };
	let key: CryptoKey;
	try {
		key = await communityKey(db, community);
	} catch {
		return { ok: false, problem: 'not_enrolled' };
	}
	return verifyCredential(scannedText, community.id, key);
}

export async function lookupCard(
	db: KioskDb,
	scannedText: string,
	now: Date | number = Date.now()
): Promise<CardLookupResult> {
	const [{ community, lastPullAt }, check] = await Promise.all([
		getMetas(db, ['community', 'lastPullAt'] as const),
		verifyScannedCard(db, scannedText)
	]);
	if (!check.ok || !community)
		return { ok: false, problem: check.ok ? 'not_enrolled' : check.problem };
	const { credential } = check;
	if (credential.kind === 'staff') {
		return { ok: false, problem: 'staff_card', staffId: credential.subjectId };
	}

	const found = await residentWithAvailable(db, credential.subjectId);
	if (!found) return { ok: false, problem: 'unknown_resident' };
	const { resident, available } = found;
	// Absent on snapshots from servers before moving out existed: living here.
	if (resident.active === false) return { ok: false, problem: 'moved_out' };
	if (isSerialRevoked(resident, credential.serial)) return { ok: false, problem: 'revoked' };
	return {
		ok: true,
		resident,
		cardSerial: credential.serial,
		credential: stripScannerWhitespace(scannedText),
		available,
		pullTooOld: isPullTooOld(lastPullAt ?? null, community.offlineMaxAgeHours, now)
	};
}
