import { describe, expect, it } from 'vitest';
import { cleanText, excerpt } from './display-text';

describe('cleanText', () => {
	it('turns line breaks and runs of spaces into single spaces', () => {
		expect(cleanText('  第一段。\n\n第二段\t结束  ')).toBe('第一段。 第二段 结束');
	});

	it('drops control and zero-width characters', () => {
		expect(cleanText('张\u0000*\u200b凤\u0007')).toBe('张*凤');
	});
});

describe('excerpt', () => {
	it('leaves short text alone', () => {
		expect(excerpt('李家三代人守望相助。', 20)).toBe('李家三代人守望相助。');
	});

	it('makes a 10,000-character story a readable excerpt ending at a sentence', () => {
		const story = '老李每天清晨打扫楼道，二十年如一日。'.repeat(600).slice(0, 10_000);
		const shown = excerpt(story, 150);
		expect(Array.from(shown).length).toBeLessThanOrEqual(150);
		expect(shown.endsWith('。…')).toBe(true);
		expect(shown.length).toBeGreaterThan(75);
	});

	it('cuts at the limit when there is no sentence end to stop at', () => {
		const shown = excerpt('好'.repeat(500), 30);
		expect(Array.from(shown)).toHaveLength(30);
		expect(shown.endsWith('…')).toBe(true);
	});

	it('never cuts a character outside the basic plane in half', () => {
		const shown = excerpt('𠀾'.repeat(40), 10);
		expect(Array.from(shown)).toEqual([...Array(9).fill('𠀾'), '…']);
	});
});
