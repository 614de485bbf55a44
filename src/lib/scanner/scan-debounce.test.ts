import { describe, expect, it } from 'vitest';
import { createScanDebouncer } from './scan-debounce';

describe('createScanDebouncer', () => {
	it('lets the first read of a text through', () => {
		const accept = createScanDebouncer(2000);
		expect(accept('CARD-A', 0)).toBe(true);
	});

	it('swallows the same text read again while it stays in view', () => {
		const accept = createScanDebouncer(2000);
		accept('CARD-A', 0);
		expect(accept('CARD-A', 60)).toBe(false);
		expect(accept('CARD-A', 1900)).toBe(false);
		// Still held up: each read extends the quiet period.
		expect(accept('CARD-A', 3800)).toBe(false);
	});

	it('reads the same text again after it was out of sight for the quiet period', () => {
		const accept = createScanDebouncer(2000);
		accept('CARD-A', 0);
		expect(accept('CARD-A', 2500)).toBe(true);
	});

	it('lets a different text through at once', () => {
		const accept = createScanDebouncer(2000);
		accept('CARD-A', 0);
		expect(accept('CARD-B', 10)).toBe(true);
		expect(accept('CARD-A', 20)).toBe(true);
	});
});
