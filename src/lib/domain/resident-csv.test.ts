import { describe, expect, it } from 'vitest';
import { encodeGb18030 } from './testing/gb18030';
import {
	MAX_IMPORT_BYTES,
	MAX_IMPORT_ROWS,
	readResidentCsv,
	residentCsv,
	residentCsvTemplate,
	type CheckedCsvRow
} from './resident-csv';
import { DECODE_REASONS } from './spreadsheet-text';
import { HOUSEHOLD_REASONS } from './household-label';
import { RESIDENT_REASONS } from './resident-fields';

const HEADER = '楼栋,单元,房号,住户标签,姓名,手机号';
const utf8 = (text: string) => new TextEncoder().encode(text);

function rows(text: string): CheckedCsvRow[] {
	const read = readResidentCsv(utf8(text));
	if (!read.ok) throw new Error(read.reason);
	return read.rows;
}

const reasons = (text: string) =>
	rows(text).map((row) =>
		row.ok ? `${row.household.label}/${row.name}/${row.phone}` : row.reason
	);

describe('reading the residents’ CSV', () => {
	it('reads rows with a flat’s address or a free label', () => {
		expect(
			reasons(`${HEADER}\r\n3号楼,2,501,,王秀英,138 0000 1234\r\n,,,老年公寓,赵桂兰,\r\n`)
		).toEqual(['3栋2单元501/王秀英/13800001234', '老年公寓/赵桂兰/null']);
	});

	it('finds the columns by name in any order, ignoring extra ones', () => {
		expect(reasons('备注,姓名,手机号,楼栋,单元,房号,住户标签\nx,李建国,,5,,102,')).toEqual([
			'5栋102/李建国/null'
		]);
	});

	it('reads the same rows from UTF-8 with a byte order mark and from GB18030', () => {
		const text = `${HEADER}\r\n3栋,2单元,501,,王秀英,13800001234\r\n`;
		const bom = readResidentCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]));
		const gb = readResidentCsv(encodeGb18030(text));
		expect(bom).toMatchObject({ ok: true, encoding: 'UTF-8' });
		expect(gb).toMatchObject({ ok: true, encoding: 'GB18030' });
		expect(bom.ok && gb.ok && gb.rows).toEqual(bom.ok && bom.rows);
	});

	it('refuses rows one by one with the reason in Chinese', () => {
		expect(
			reasons(
				[
					HEADER,
					'3栋,2单元,501,,,13800001234',
					'东区三栋,,501,,王强,',
					'3栋,,501,,王强,1380000',
					'3栋,,,,王强,'
				].join('\n')
			)
		).toEqual([
			RESIDENT_REASONS.nameMissing,
			HOUSEHOLD_REASONS.building,
			RESIDENT_REASONS.phone,
			HOUSEHOLD_REASONS.roomMissing
		]);
	});

	it('refuses the second of two rows for the same person in the same household', () => {
		const read = reasons(`${HEADER}\n3栋,2,501,,王秀英,\n3号楼,2单元,501室,,王秀英,13800001234`);
		expect(read[1]).toBe('与第 2 行重复（同一户、同一姓名），这一行不导入');
	});

	it('refuses formula-looking cells and says which column', () => {
		const read = reasons(
			`${HEADER}\n3栋,2,501,,"=cmd|' /C calc'!A0",\n3栋,2,502,,@王强,\n3栋,2,503,,王五,+86 13800001234`
		);
		expect(read[0]).toBe(
			'「姓名」以“=”开头，像表格公式，为安全起见这一行不导入（请删掉开头的符号）'
		);
		expect(read[1]).toContain('「姓名」以“@”开头');
		expect(read[2]).toBe('3栋2单元503/王五/13800001234');
		expect(reasons(`${HEADER}\n3栋,2,501,,王强,=1+1`)[0]).toContain('「手机号」以“=”开头');
	});

	it('refuses a whole file with missing columns, no header or no rows', () => {
		expect(readResidentCsv(utf8('楼栋,房号,姓名\n3,501,王强'))).toEqual({
			ok: false,
			reason: '表头缺少这些列：单元，住户标签，手机号。请下载模板，按模板填写'
		});
		expect(readResidentCsv(utf8('3,2,501,,王强,'))).toMatchObject({
			ok: false,
			reason: expect.stringContaining('第一行应是列名')
		});
		expect(readResidentCsv(utf8(HEADER))).toEqual({
			ok: false,
			reason: '表格里没有居民（只有列名）'
		});
	});

	it('refuses a file in the wrong encoding', () => {
		const big5Name = [0xa9, 0x6d, 0xa6, 0x57];
		expect(readResidentCsv(new Uint8Array([...big5Name, 0x2c, ...big5Name]))).toEqual({
			ok: false,
			reason: DECODE_REASONS.garbled
		});
	});

	it('refuses a file over the size limit, and one over the row limit', () => {
		const big = new Uint8Array(20 * 1024 * 1024).fill(0x41);
		expect(readResidentCsv(big)).toEqual({
			ok: false,
			reason: '文件太大（20.0 MB），最大 1.5 MB（约三万行）。请分成几个文件导入'
		});
		expect(MAX_IMPORT_BYTES).toBeLessThan(2 * 1024 * 1024);
		const many = [HEADER, ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => '3,,1,,王,')];
		expect(readResidentCsv(utf8(many.join('\n')))).toMatchObject({
			ok: false,
			reason: expect.stringContaining('一次最多导入 20000 行')
		});
	});

	it('reads 10,000 rows', () => {
		const lines = Array.from(
			{ length: 10_000 },
			(_, i) => `${(i % 30) + 1}栋,,${i + 100},,居民${i},`
		);
		const read = readResidentCsv(utf8([HEADER, ...lines].join('\r\n')));
		expect(read.ok && read.rows.filter((row) => row.ok)).toHaveLength(10_000);
	});
});

describe('writing the residents’ CSV', () => {
	it('exports the import’s columns with a byte order mark, defusing formula-looking text', () => {
		const text = residentCsv([
			{
				household: { building: '3栋', unit: '2单元', room: '501', label: '3栋2单元501' },
				name: '王秀英',
				phone: '13800001234'
			},
			{
				household: { building: '老年公寓', unit: null, room: null, label: '老年公寓' },
				name: '=cmd|x',
				phone: null
			}
		]);
		expect(text).toBe(
			`\uFEFF${HEADER}\r\n3栋,2单元,501,,王秀英,13800001234\r\n,,,老年公寓,'=cmd|x,\r\n`
		);
	});

	it('reads back what it wrote', () => {
		const household = { building: '5栋', unit: null, room: '102', label: '5栋102' };
		const text = residentCsv([{ household, name: '李, "建国"', phone: '010-12345678' }]);
		expect(reasons(text)).toEqual(['5栋102/李, "建国"/010-12345678']);
	});

	it('offers a template of the column names only', () => {
		expect(residentCsvTemplate()).toBe(`\uFEFF${HEADER}\r\n`);
	});
});
