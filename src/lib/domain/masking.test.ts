import { describe, expect, it } from 'vitest';
import { maskHouseholdName, maskName } from './masking';

describe('maskName', () => {
	it('keeps the first and last character of a three-character name', () => {
		expect(maskName('张三凤')).toBe('张*凤');
	});

	it('keeps only the surname of a two-character name', () => {
		expect(maskName('李四')).toBe('李*');
	});

	it('leaves a one-character name as it is', () => {
		expect(maskName('王')).toBe('王');
	});

	it('hides the length of longer names behind one star', () => {
		expect(maskName('欧阳娜娜')).toBe('欧*娜');
		expect(maskName('阿依古丽·买买提')).toBe('阿*提');
	});

	it('ignores surrounding spaces and handles an empty name', () => {
		expect(maskName('  张三凤 ')).toBe('张*凤');
		expect(maskName('')).toBe('');
	});

	it('counts characters outside the basic plane as one', () => {
		expect(maskName('𠀾小明')).toBe('𠀾*明');
	});
});

describe('maskHouseholdName', () => {
	it('keeps only the surname of a member and adds 家', () => {
		expect(maskHouseholdName('李建国')).toBe('李*家');
		expect(maskHouseholdName(' 王 ')).toBe('王*家');
	});

	it('says 某*家 when the household has no member', () => {
		expect(maskHouseholdName(null)).toBe('某*家');
		expect(maskHouseholdName('')).toBe('某*家');
	});
});
