import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { bytesToBase64url } from './base64url';
import {
	credentialBody,
	importPublicKey,
	parseCredential,
	signCredential,
	verifyCredential,
	type Credential
} from './credential';

async function communityKeys() {
	const pair = (await crypto.subtle.generateKey('Ed25519', true, [
		'sign',
		'verify'
	])) as CryptoKeyPair;
	const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
	return { privateKey: pair.privateKey, publicKey: await importPublicKey(bytesToBase64url(raw)) };
}

const card: Credential = { kind: 'resident', communityId: 1, subjectId: 1234, serial: 1 };

describe('card credential', () => {
	it('verifies a card signed by our community', async () => {
		const keys = await communityKeys();
		const text = await signCredential(card, keys.privateKey);
		expect(await verifyCredential(text, 1, keys.publicKey)).toEqual({ ok: true, credential: card });
	});

	it('fits a QR code of version 7 at error correction M even at the largest numbers', async () => {
		const keys = await communityKeys();
		const largest: Credential = {
			kind: 'staff',
			communityId: 36 ** 3 - 1,
			subjectId: 36 ** 5 - 1,
			serial: 36 ** 2 - 1
		};
		const text = await signCredential(largest, keys.privateKey);
		expect(QRCode.create(text, { errorCorrectionLevel: 'M' }).version).toBeLessThanOrEqual(7);
	});

	it('calls a card signed by another key forged', async () => {
		const ours = await communityKeys();
		const forger = await communityKeys();
		const text = await signCredential(card, forger.privateKey);
		expect(await verifyCredential(text, 1, ours.publicKey)).toEqual({
			ok: false,
			problem: 'forged'
		});
	});

	it('calls a card whose numbers were edited after signing forged', async () => {
		const keys = await communityKeys();
		const text = await signCredential(card, keys.privateKey);
		const edited = text.replace('.ya.', '.yb.');
		expect(edited).not.toBe(text);
		expect(await verifyCredential(edited, 1, keys.publicKey)).toEqual({
			ok: false,
			problem: 'forged'
		});
	});

	it('tells a valid card of another community apart from a forged one', async () => {
		const keys = await communityKeys();
		const text = await signCredential({ ...card, communityId: 2 }, keys.privateKey);
		expect(await verifyCredential(text, 1, keys.publicKey)).toEqual({
			ok: false,
			problem: 'foreign_community'
		});
	});

	it.each([
		['empty', ''],
		['garbage', '你好世界 hello'],
		['a URL', 'https://example.com/?q=1'],
		['another version', 'CS2.R.1.ya.1.' + 'A'.repeat(86)],
		['an unknown kind', 'CS1.X.1.ya.1.' + 'A'.repeat(86)],
		['leading zeros', 'CS1.R.01.ya.1.' + 'A'.repeat(86)],
		['a zero id', 'CS1.R.1.0.1.' + 'A'.repeat(86)],
		['a bad signature alphabet', 'CS1.R.1.ya.1.' + '*'.repeat(86)],
		['very long text', 'CS1.' + 'x'.repeat(500)]
	])('calls %s unreadable', async (_name, text) => {
		const keys = await communityKeys();
		expect(await verifyCredential(text, 1, keys.publicKey)).toEqual({
			ok: false,
			problem: 'unreadable'
		});
	});

	it('calls a truncated card unreadable', async () => {
		const keys = await communityKeys();
		const text = await signCredential(card, keys.privateKey);
		for (const length of [3, 10, text.length - 40, text.length - 1]) {
			expect(parseCredential(text.slice(0, length))).toBeNull();
		}
	});

	it('accepts the text with a trailing newline from a keyboard-wedge scanner', async () => {
		const keys = await communityKeys();
		const text = await signCredential(card, keys.privateKey);
		expect((await verifyCredential(text + '\n', 1, keys.publicKey)).ok).toBe(true);
	});

	it('refuses a card text with a BOM or other Unicode space around it', async () => {
		const keys = await communityKeys();
		const text = await signCredential(card, keys.privateKey);
		for (const spelling of ['\uFEFF' + text, text + '\uFEFF', '\u00A0' + text, text + '\u3000']) {
			expect(parseCredential(spelling)).toBeNull();
		}
	});

	it('refuses a signature spelled with other unused bits in its last character', async () => {
		const keys = await communityKeys();
		const text = await signCredential(card, keys.privateKey);
		// 64 bytes take 85⅓ characters: the last one carries 4 unused bits that atob ignores.
		const last = text.at(-1)!;
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
		const sameBytes = alphabet[alphabet.indexOf(last) ^ 1]!;
		const respelled = text.slice(0, -1) + sameBytes;
		expect(respelled).not.toBe(text);
		expect(parseCredential(respelled)).toBeNull();
		expect(await verifyCredential(respelled, 1, keys.publicKey)).toEqual({
			ok: false,
			problem: 'unreadable'
		});
	});

	it('refuses to encode numbers it could not read back', () => {
		expect(() => credentialBody({ ...card, subjectId: 0 })).toThrow(RangeError);
		expect(() => credentialBody({ ...card, serial: 36 ** 2 })).toThrow(RangeError);
		expect(() => credentialBody({ ...card, communityId: 1.5 })).toThrow(RangeError);
	});
});
