import type { Checked } from './household-label';

/**
 * A resident's name and phone as the office keeps them. Only what the shop needs: no ID numbers.
 *
 * Phones are stored normalised so that one number is one text (search by its last four digits,
 * the import's "unchanged" check): a mainland mobile as its 11 digits ('+86 138-0000-1234' →
 * '13800001234'); a landline with its area code as 'area-number' ('(010)12345678' →
 * '010-12345678'; 010 and 02x are three digits, every other area code four), which also keeps
 * the leading 0 when Excel opens an export; a local landline without area code as its 7–8 digits.
 */

export const MAX_NAME_LENGTH = 20;

export const RESIDENT_REASONS = {
	nameMissing: '姓名不能为空',
	nameTooLong: `姓名最多 ${MAX_NAME_LENGTH} 个字`,
	nameControl: '姓名里有不可见的控制字符',
	phone: '手机号格式不对（应为 11 位手机号，或带区号的座机号）'
} as const;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{9,11}$/;
const LOCAL_LANDLINE = /^[2-9]\d{6,7}$/;
/** What people write for "no phone". */
const NO_PHONE = new Set(['', '-', '—', '无', '没有', '/']);

/** Spaces trimmed and collapsed ('买买提 艾力' keeps its one space). */
export function normaliseName(text: string): Checked<string> {
	const name = text.normalize('NFC').trim().replace(/\s+/g, ' ');
	if (!name) return { ok: false, reason: RESIDENT_REASONS.nameMissing };
	if (CONTROL.test(name)) return { ok: false, reason: RESIDENT_REASONS.nameControl };
	if (Array.from(name).length > MAX_NAME_LENGTH) {
		return { ok: false, reason: RESIDENT_REASONS.nameTooLong };
	}
	return { ok: true, value: name };
}

/** The stored form of a phone, null for none, or the reason it is not one. */
export function normalisePhone(text: string | null | undefined): Checked<string | null> {
	const trimmed = (text ?? '').normalize('NFKC').trim();
	if (NO_PHONE.has(trimmed)) return { ok: true, value: null };
	if (!/^[\d\s()+\-.]+$/.test(trimmed)) return { ok: false, reason: RESIDENT_REASONS.phone };
	let digits = trimmed.replace(/\D/g, '');
	if (trimmed.startsWith('+') && !digits.startsWith('86')) {
		return { ok: false, reason: RESIDENT_REASONS.phone };
	}
	if (/^(0086|86)1\d{10}$/.test(digits)) digits = digits.replace(/^(0086|86)/, '');
	if (MOBILE.test(digits)) return { ok: true, value: digits };
	if (LANDLINE.test(digits)) {
		const areaLength = /^0[12]/.test(digits) ? 3 : 4;
		const local = digits.slice(areaLength);
		if (local.length < 7 || local.length > 8) return { ok: false, reason: RESIDENT_REASONS.phone };
		return { ok: true, value: `${digits.slice(0, areaLength)}-${local}` };
	}
	if (LOCAL_LANDLINE.test(digits) && !trimmed.startsWith('+')) return { ok: true, value: digits };
	return { ok: false, reason: RESIDENT_REASONS.phone };
}
