import { describe, expect, it } from 'vitest';
import { uuidv7, uuidv7Time } from './uuid';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
	it('makes RFC 9562 version 7 ids with the variant bits set', () => {
		for (let i = 0; i < 100; i++) expect(uuidv7()).toMatch(UUID_V7);
	});

	it('encodes the creation time so that ids sort by it', () => {
		const at = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
		const id = uuidv7(at);
		expect(uuidv7Time(id)).toBe(at);
		expect(uuidv7(at + 1) > id).toBe(true);
		expect(uuidv7(at - 1) < id).toBe(true);
	});

	it('does not repeat within the same millisecond', () => {
		const ids = new Set(Array.from({ length: 1000 }, () => uuidv7(1_700_000_000_000)));
		expect(ids.size).toBe(1000);
	});
});
