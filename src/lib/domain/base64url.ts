/** Base64url without padding, for keys and signatures in QR text and JSON. */
export function bytesToBase64url(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Decodes base64url without padding; null unless `text` is the one canonical spelling of its
 * bytes. atob ignores the unused low bits of the last character, so `…A` and `…B` could both
 * decode to the same bytes: re-encoding and comparing refuses every spelling but one.
 */
export function base64urlToBytes(text: string): Uint8Array<ArrayBuffer> | null {
	if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
	const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
	const binary = atob(padded);
	const bytes = new Uint8Array(new ArrayBuffer(binary.length));
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytesToBase64url(bytes) === text ? bytes : null;
}
