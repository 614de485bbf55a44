import { base64urlToBytes, bytesToBase64url } from './base64url';

/**
 * The text printed as a QR code on a resident or staff card:
 *
 *   CS1.<kind>.<community>.<subject>.<serial>.<signature>
 *
 * kind is R (resident) or S (staff); the three numbers are base 36; the signature is the
 * community's Ed25519 signature over everything before the last dot, in base64url. The whole
 * text stays under 106 bytes so it fits a QR code of version 7 at error correction M.
 */
export const CREDENTIAL_VERSION = 'CS1';
export const CREDENTIAL_KINDS = { R: 'resident', S: 'staff' } as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[keyof typeof CREDENTIAL_KINDS];

export interface Credential {
	kind: CredentialKind;
	communityId: number;
	/** Resident id for a resident card, staff account id for a staff card. */
	subjectId: number;
	serial: number;
}

export type CredentialProblem =
	/** Not our format at all, cut short, or garbled. */
	| 'unreadable'
	/** Well formed, but issued by another community. */
	| 'foreign_community'
	/** Well formed for our community, but the signature does not verify. */
	| 'forged';

export type CredentialCheck =
	{ ok: true; credential: Credential } | { ok: false; problem: CredentialProblem };

const MAX_COMMUNITY_ID = 36 ** 3 - 1;
const MAX_SUBJECT_ID = 36 ** 5 - 1;
const MAX_SERIAL = 36 ** 2 - 1;
const SIGNATURE_LENGTH = 86; // 64 bytes in base64url without padding
const NUMBER_PART = /^[0-9a-z]{1,5}$/;

function kindLetter(kind: CredentialKind): string {
	return kind === 'resident' ? 'R' : 'S';
}

function checkRange(name: string, value: number, max: number): void {
	if (!Number.isInteger(value) || value < 1 || value > max) {
		throw new RangeError(`${name} must be an integer from 1 to ${max}`);
	}
}

/** The signed part of the credential text, without the signature. */
export function credentialBody(credential: Credential): string {
	checkRange('communityId', credential.communityId, MAX_COMMUNITY_ID);
	checkRange('subjectId', credential.subjectId, MAX_SUBJECT_ID);
	checkRange('serial', credential.serial, MAX_SERIAL);
	return [
		CREDENTIAL_VERSION,
		kindLetter(credential.kind),
		credential.communityId.toString(36),
		credential.subjectId.toString(36),
		credential.serial.toString(36)
	].join('.');
}

export async function signCredential(
	credential: Credential,
	privateKey: CryptoKey
): Promise<string> {
	const body = credentialBody(credential);
	const signature = await crypto.subtle.sign('Ed25519', privateKey, new TextEncoder().encode(body));
	return `${body}.${bytesToBase64url(new Uint8Array(signature))}`;
}

interface ParsedCredential {
	credential: Credential;
	body: string;
	signature: Uint8Array<ArrayBuffer>;
}

/**
 * What a scanner adds around a card's text: spaces, tabs and line ends (a keyboard-wedge or
 * serial scanner ends its text with one). Not String.trim, which also removes a BOM and other
 * Unicode spaces that are no part of any card.
 */
export function stripScannerWhitespace(text: string): string {
	return text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

/**
 * Reads the structure without checking the signature; null when the text is not a credential.
 * A card has exactly one accepted spelling (the one signCredential wrote): no BOM, no leading
 * zeros, no other base64url spelling of the signature. Only the scanner's whitespace around it
 * is forgiven.
 */
export function parseCredential(text: string): ParsedCredential | null {
	const trimmed = stripScannerWhitespace(text);
	if (trimmed.length > 120) return null;
	const parts = trimmed.split('.');
	if (parts.length !== 6) return null;
	const [version, letter, community, subject, serial, signatureText] = parts as [
		string,
		string,
		string,
		string,
		string,
		string
	];
	if (version !== CREDENTIAL_VERSION) return null;
	if (letter !== 'R' && letter !== 'S') return null;
	if (![community, subject, serial].every((part) => NUMBER_PART.test(part))) return null;
	if (signatureText.length !== SIGNATURE_LENGTH) return null;
	const signature = base64urlToBytes(signatureText);
	if (!signature || signature.length !== 64) return null;
	const credential: Credential = {
		kind: CREDENTIAL_KINDS[letter],
		communityId: parseInt(community, 36),
		subjectId: parseInt(subject, 36),
		serial: parseInt(serial, 36)
	};
	if (credential.communityId < 1 || credential.subjectId < 1 || credential.serial < 1) return null;
	const body = trimmed.slice(0, trimmed.lastIndexOf('.'));
	// Refuse non-canonical spellings (leading zeros) so one card has exactly one text.
	if (body !== credentialBody(credential)) return null;
	return { credential, body, signature };
}

/** Checks a scanned text against our community and its public key, entirely offline. */
export async function verifyCredential(
	text: string,
	communityId: number,
	publicKey: CryptoKey
): Promise<CredentialCheck> {
	const parsed = parseCredential(text);
	if (!parsed) return { ok: false, problem: 'unreadable' };
	if (parsed.credential.communityId !== communityId) {
		return { ok: false, problem: 'foreign_community' };
	}
	const valid = await crypto.subtle.verify(
		'Ed25519',
		publicKey,
		parsed.signature,
		new TextEncoder().encode(parsed.body)
	);
	return valid ? { ok: true, credential: parsed.credential } : { ok: false, problem: 'forged' };
}

export async function importPublicKey(base64url: string): Promise<CryptoKey> {
	const raw = base64urlToBytes(base64url);
	if (!raw || raw.length !== 32) throw new Error('invalid Ed25519 public key');
	return crypto.subtle.importKey('raw', raw, 'Ed25519', true, ['verify']);
}
