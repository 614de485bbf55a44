import { signCredential } from '$lib/domain/credential';
import { bytesToBase64url } from '$lib/domain/base64url';

export interface CommunityKeyPair {
	/** Raw 32-byte Ed25519 public key, base64url: what devices get. */
	publicKey: string;
	/** PKCS#8 private key, base64: stays in the server database. */
	privateKey: string;
}

export async function generateCommunityKeys(): Promise<CommunityKeyPair> {
	const pair = (await crypto.subtle.generateKey('Ed25519', true, [
		'sign',
		'verify'
	])) as CryptoKeyPair;
	const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
	const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
	return { publicKey: bytesToBase64url(raw), privateKey: Buffer.from(pkcs8).toString('base64') };
}

export function importCommunityPrivateKey(pkcs8Base64: string): Promise<CryptoKey> {
	return crypto.subtle.importKey('pkcs8', Buffer.from(pkcs8Base64, 'base64'), 'Ed25519', false, [
		'sign'
	]);
}

/** The QR text of a resident card (see domain/credential.ts). */
export function residentCardText(
	privateKey: CryptoKey,
	card: { communityId: number; residentId: number; serial: number }
): Promise<string> {
	return signCredential(
		{
			kind: 'resident',
			communityId: card.communityId,
			subjectId: card.residentId,
			serial: card.serial
		},
		privateKey
	);
}

/** The QR text of a staff card: the subject is the staff member's office account id. */
export function staffCardText(
	privateKey: CryptoKey,
	card: { communityId: number; staffId: number; serial: number }
): Promise<string> {
	return signCredential(
		{ kind: 'staff', communityId: card.communityId, subjectId: card.staffId, serial: card.serial },
		privateKey
	);
}
