import { describe, expect, it } from 'vitest';
import { normaliseName, normalisePhone, RESIDENT_REASONS } from './resident-fields';

describe('resident names', () => {
	it('trims and collapses spaces', () => {
		expect(normaliseName('  买买提   艾力 ')).toEqual({ ok: true, value: '买买提 艾力' });
	});

	it('refuses an empty name, a name over 20 characters and control characters', () => {
		expect(normaliseName('   ')).toEqual({ ok: false, reason: RESIDENT_REASONS.nameMissing });
		expect(normaliseName('王'.repeat(21))).toEqual({
			ok: false,
			reason: RESIDENT_REASONS.nameTooLong
		});
		expect(normaliseName('王'.repeat(20)).ok).toBe(true);
		expect(normaliseName('王\u0000强')).toEqual({
			ok: false,
			reason: RESIDENT_REASONS.nameControl
		});
	});
});

describe('resident phones', () => {
	it.each([
		['13800001234', '13800001234'],
		['138 0000 1234', '13800001234'],
		['+86 138-0000-1234', '13800001234'],
		['8613800001234', '13800001234'],
		['１３８００００１２３４', '13800001234'],
		['010-12345678', '010-12345678'],
		['(010)12345678', '010-12345678'],
		['02112345678', '021-12345678'],
		['0755-1234567', '0755-1234567'],
		['05718765432', '0571-8765432'],
		['87654321', '87654321']
	])('stores %s as %s', (typed, stored) => {
		expect(normalisePhone(typed)).toEqual({ ok: true, value: stored });
	});

	it.each(['', '  ', '-', '无'])('takes %j as no phone', (typed) => {
		expect(normalisePhone(typed)).toEqual({ ok: true, value: null });
	});

	it.each([
		'1380000123',
		'138000012345',
		'12800001234',
		'+1 415 555 0100',
		'abc',
		'010-123',
		'1234'
	])('refuses the malformed phone %s', (typed) => {
		expect(normalisePhone(typed)).toEqual({ ok: false, reason: RESIDENT_REASONS.phone });
	});
});
