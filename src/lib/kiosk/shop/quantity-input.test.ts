import { describe, expect, it } from 'vitest';
import {
	checkQuantity,
	COUNTED_QUANTITY,
	maxDigits,
	MOVEMENT_QUANTITY,
	typeDigit
} from './quantity-input';

function typeAll(keys: string, rule = MOVEMENT_QUANTITY): string {
	return [...keys].reduce((text, key) => typeDigit(text, key, rule), '');
}

describe('keypad quantity input', () => {
	it('takes no more digits than the largest allowed quantity has', () => {
		expect(maxDigits(MOVEMENT_QUANTITY)).toBe(6);
		expect(typeAll('1000000000')).toBe('100000');
	});

	it('ignores a minus sign and a decimal point', () => {
		expect(typeAll('-1.5')).toBe('15');
	});

	it('drops a leading zero', () => {
		expect(typeAll('05')).toBe('5');
	});

	it('refuses an empty, zero, too large or non-integer quantity with a sentence', () => {
		expect(checkQuantity('', MOVEMENT_QUANTITY)).toEqual({ ok: false, message: '请输入数量' });
		expect(checkQuantity('0', MOVEMENT_QUANTITY)).toEqual({ ok: false, message: '数量至少是 1' });
		expect(checkQuantity('999999', MOVEMENT_QUANTITY)).toMatchObject({ ok: false });
		expect(checkQuantity('1000000000', MOVEMENT_QUANTITY)).toMatchObject({ ok: false });
		expect(checkQuantity('1.5', MOVEMENT_QUANTITY)).toMatchObject({ ok: false });
		expect(checkQuantity('-1', MOVEMENT_QUANTITY)).toMatchObject({ ok: false });
	});

	it('says why a quantity above a smaller limit is refused', () => {
		const loss = { ...MOVEMENT_QUANTITY, max: 3, tooMany: '报损不能超过现有库存 3 件' };
		expect(checkQuantity('4', loss)).toEqual({ ok: false, message: '报损不能超过现有库存 3 件' });
		expect(typeAll('1234', loss)).toBe('1234');
	});

	it('accepts zero as a counted quantity', () => {
		expect(checkQuantity('0', COUNTED_QUANTITY)).toEqual({ ok: true, value: 0 });
		expect(checkQuantity('100000', COUNTED_QUANTITY)).toEqual({ ok: true, value: 100000 });
	});
});
