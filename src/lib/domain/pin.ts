import { PIN_MAX_LENGTH, PIN_MIN_LENGTH } from '$lib/protocol/limits';
import type { PinHash } from '$lib/protocol/sync';
import { base64urlToBytes, bytesToBase64url } from './base64url';

/*
 * Staff PINs: PBKDF2-SHA-256 through WebCrypto, the same code on the server (which hashes) and
 * in the kiosk's browser (which verifies offline against the synced hash). 210,000 iterations
 * take about 70 ms on the 2-core build machine, so a slow kiosk stays well under half a second.
 * A 4–8 digit PIN is weak against someone who copies the hash off a kiosk: the lock-out and the
 * card (a PIN alone opens nothing) are the real protection; the slow hash only raises the cost.
 */
export const PIN_ITERATIONS = 210_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;

export function isValidPin(pin: string): boolean {
	return new RegExp(`^\\d{${PIN_MIN_LENGTH},${PIN_MAX_LENGTH}}$`).test(pin);
}

async function derive(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
	const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, [
		'deriveBits'
	]);
	const bits = await crypto.subtle.deriveBits(
		{ name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
		key,
		HASH_BITS
	);
	return new Uint8Array(bits);
}

export async function hashPin(
	pin: string,
	iterations: number = PIN_ITERATIONS,
	salt: Uint8Array<ArrayBuffer> = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
): Promise<PinHash> {
	if (!isValidPin(pin)) throw new RangeError('a PIN is 4 to 8 digits');
	return {
		algorithm: 'PBKDF2-SHA-256',
		iterations,
		salt: bytesToBase64url(salt),
		hash: bytesToBase64url(await derive(pin, salt, iterations))
	};
}

/** Compares every byte whatever the first difference, so timing says nothing. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	let difference = 0;
	for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
	return difference === 0;
}

export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
	if (!isValidPin(pin)) return false;
	const salt = base64urlToBytes(stored.salt);
	const expected = base64urlToBytes(stored.hash);
	if (!salt || !expected || stored.algorithm !== 'PBKDF2-SHA-256') return false;
	return sameBytes(await derive(pin, salt, stored.iterations), expected);
}
