import { describe, expect, it } from 'vitest';
import { hashPin, isValidPin, PIN_ITERATIONS, verifyPin } from './pin';

describe('staff PINs', () => {
	it('hashes with PBKDF2-SHA-256, at least 100,000 iterations, and verifies only the right PIN', async () => {
		const stored = await hashPin('246810');
		expect(stored.algorithm).toBe('PBKDF2-SHA-256');
		expect(stored.iterations).toBe(PIN_ITERATIONS);
		expect(PIN_ITERATIONS).toBeGreaterThanOrEqual(100_000);
		expect(await verifyPin('246810', stored)).toBe(true);
		expect(await verifyPin('246811', stored)).toBe(false);
		expect(await verifyPin('', stored)).toBe(false);
	});

	it('salts every hash, so the same PIN never hashes the same twice', async () => {
		const [a, b] = await Promise.all([hashPin('1234', 1000), hashPin('1234', 1000)]);
		expect(a.salt).not.toBe(b.salt);
		expect(a.hash).not.toBe(b.hash);
	});

	it('refuses a garbled stored hash instead of throwing', async () => {
		const stored = await hashPin('1234', 1000);
		expect(await verifyPin('1234', { ...stored, hash: '***' })).toBe(false);
		expect(await verifyPin('1234', { ...stored, salt: '!' })).toBe(false);
	});

	it('takes 4 to 8 digits only', () => {
		expect(['1234', '12345678'].every(isValidPin)).toBe(true);
		expect(['123', '123456789', '12a4', ' 1234', '１２３４'].some(isValidPin)).toBe(false);
	});
});
