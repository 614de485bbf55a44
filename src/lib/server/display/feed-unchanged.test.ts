import { describe, expect, it } from 'vitest';
import { feedIsUnchanged } from './feed-unchanged';

describe('feedIsUnchanged', () => {
	it('is true when ?since= names the current version', () => {
		expect(feedIsUnchanged('abc', 'abc', null)).toBe(true);
		expect(feedIsUnchanged('abc', 'abd', null)).toBe(false);
		expect(feedIsUnchanged('abc', undefined, null)).toBe(false);
	});

	it('reads If-None-Match quoted, weak, in a list or as *', () => {
		expect(feedIsUnchanged('abc', undefined, '"abc"')).toBe(true);
		expect(feedIsUnchanged('abc', undefined, 'W/"abc"')).toBe(true);
		expect(feedIsUnchanged('abc', undefined, '"old", "abc"')).toBe(true);
		expect(feedIsUnchanged('abc', undefined, '*')).toBe(true);
		expect(feedIsUnchanged('abc', undefined, '"old"')).toBe(false);
	});
});
