import { describe, expect, it } from 'vitest';
import { encodeGb18030 } from './testing/gb18030';
import {
	DECODE_REASONS,
	decodeSpreadsheetText,
	looksLikeFormula,
	parseCsv
} from './spreadsheet-text';

const utf8 = (text: string) => new TextEncoder().encode(text);
const withBom = (bytes: Uint8Array) => new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);

describe('decoding a spreadsheet’s CSV', () => {
	it('reads UTF-8 with and without a byte order mark, and GB18030', () => {
		expect(decodeSpreadsheetText(withBom(utf8('姓名\r\n王秀英')))).toEqual({
			ok: true,
			text: '姓名\r\n王秀英',
			encoding: 'UTF-8'
		});
		expect(decodeSpreadsheetText(utf8('姓名'))).toMatchObject({ ok: true, text: '姓名' });
		expect(decodeSpreadsheetText(encodeGb18030('姓名,楼栋\r\n王秀英,3号楼'))).toEqual({
			ok: true,
			text: '姓名,楼栋\r\n王秀英,3号楼',
			encoding: 'GB18030'
		});
	});

	it('refuses Big5 text (decodes to private-use characters) as garbled', () => {
		// 一乙姓名 in Big5
		const big5 = new Uint8Array([0xa4, 0x40, 0xa4, 0x41, 0xa9, 0x6d, 0xa6, 0x57]);
		expect(decodeSpreadsheetText(big5)).toEqual({ ok: false, reason: DECODE_REASONS.garbled });
	});

	it('refuses a broken UTF-8 file that has a byte order mark', () => {
		expect(decodeSpreadsheetText(withBom(new Uint8Array([0xe5, 0xa7])))).toEqual({
			ok: false,
			reason: DECODE_REASONS.garbled
		});
	});

	it('names UTF-16, workbooks and binary files', () => {
		expect(decodeSpreadsheetText(new Uint8Array([0xff, 0xfe, 0x0d, 0x59]))).toEqual({
			ok: false,
			reason: DECODE_REASONS.utf16
		});
		expect(decodeSpreadsheetText(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1]))).toEqual({
			ok: false,
			reason: DECODE_REASONS.workbook
		});
		expect(decodeSpreadsheetText(new Uint8Array([0x41, 0, 0x42]))).toEqual({
			ok: false,
			reason: DECODE_REASONS.binary
		});
		expect(decodeSpreadsheetText(new Uint8Array())).toEqual({
			ok: false,
			reason: DECODE_REASONS.empty
		});
	});
});

describe('parsing CSV', () => {
	it('reads quoted commas, doubled quotes and line breaks, with each row’s first line', () => {
		expect(parseCsv('a,"b,1","say ""hi"""\r\n"two\nlines",x\n\n,,\nlast')).toEqual([
			{ line: 1, cells: ['a', 'b,1', 'say "hi"'] },
			{ line: 2, cells: ['two\nlines', 'x'] },
			{ line: 6, cells: ['last'] }
		]);
	});

	it('keeps an empty last cell and ignores a final line break', () => {
		expect(parseCsv('a,\r\n')).toEqual([{ line: 1, cells: ['a', ''] }]);
	});
});

describe('formula-looking cells', () => {
	it.each(["=cmd|' /C calc'!A0", '+SUM(A1)', '-2+3', '@SUM(A1)', ' =1', '\t=1'])(
		'calls %j a formula',
		(cell) => expect(looksLikeFormula(cell)).toBe(true)
	);
	it.each(['王秀英', '3栋', "'=1", ''])('calls %j plain text', (cell) =>
		expect(looksLikeFormula(cell)).toBe(false)
	);
});
