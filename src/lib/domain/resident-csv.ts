import { csvField } from './day-report';
import { composeHousehold, type HouseholdAddress } from './household-label';
import { normaliseName, normalisePhone } from './resident-fields';
import { decodeSpreadsheetText, looksLikeFormula, parseCsv } from './spreadsheet-text';

/**
 * The residents' CSV, both ways: the office imports households and residents from it and
 * exports the same columns. One row is one resident:
 *
 *   楼栋,单元,房号,住户标签,姓名,手机号
 *   3栋,2单元,501,,王秀英,13800001234
 *   ,,,老年公寓,赵桂兰,
 *
 * 楼栋/单元/房号 for a flat (单元 may be empty), or 住户标签 alone for a household without them.
 * Every row is checked here, without the database; what a row would change is the planner's
 * business (server/office/resident-import.ts).
 */

export const RESIDENT_CSV_COLUMNS = ['楼栋', '单元', '房号', '住户标签', '姓名', '手机号'] as const;
export type ResidentCsvColumn = (typeof RESIDENT_CSV_COLUMNS)[number];

/**
 * 1.5 MB is about 30,000 rows, three times the largest community we plan for, and stays under
 * the server's 2 MB request body limit (BODY_SIZE_LIMIT) with the form around it.
 */
export const MAX_IMPORT_BYTES = 1.5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;

export type CsvCells = Record<ResidentCsvColumn, string>;

export type CheckedCsvRow = { line: number; cells: CsvCells } & (
	| { ok: true; household: HouseholdAddress; name: string; phone: string | null }
	| { ok: false; reason: string }
);

export type ResidentCsv =
	| { ok: true; encoding: 'UTF-8' | 'GB18030'; rows: CheckedCsvRow[] }
	| { ok: false; reason: string };

export function formatMegabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function tooLargeReason(bytes: number | null): string {
	const size = bytes === null ? '' : `（${formatMegabytes(bytes)}）`;
	return `文件太大${size}，最大 ${formatMegabytes(MAX_IMPORT_BYTES)}（约三万行）。请分成几个文件导入`;
}

function checkRow(line: number, cells: CsvCells): CheckedCsvRow {
	for (const column of RESIDENT_CSV_COLUMNS) {
		const cell = cells[column];
		// '+86 138…' is a phone, not a formula; the phone check decides.
		if (column === '手机号' && normalisePhone(cell).ok) continue;
		if (looksLikeFormula(cell)) {
			const first = cell.trim().charAt(0) || '制表符';
			return {
				line,
				cells,
				ok: false,
				reason: `「${column}」以“${first}”开头，像表格公式，为安全起见这一行不导入（请删掉开头的符号）`
			};
		}
	}
	const name = normaliseName(cells['姓名']);
	if (!name.ok) return { line, cells, ok: false, reason: name.reason };
	const household = composeHousehold({
		building: cells['楼栋'],
		unit: cells['单元'],
		room: cells['房号'],
		freeLabel: cells['住户标签']
	});
	if (!household.ok) return { line, cells, ok: false, reason: household.reason };
	const phone = normalisePhone(cells['手机号']);
	if (!phone.ok) return { line, cells, ok: false, reason: phone.reason };
	return {
		line,
		cells,
		ok: true,
		household: household.value,
		name: name.value,
		phone: phone.value
	};
}

/** Decodes, parses and checks a whole file; a refusal of the whole file says why in Chinese. */
export function readResidentCsv(bytes: Uint8Array): ResidentCsv {
	if (bytes.length > MAX_IMPORT_BYTES) return { ok: false, reason: tooLargeReason(bytes.length) };
	const decoded = decodeSpreadsheetText(bytes);
	if (!decoded.ok) return decoded;
	const [header, ...body] = parseCsv(decoded.text);
	if (!header) return { ok: false, reason: '文件是空的' };
	const names = header.cells.map((cell) => cell.trim());
	const missing = RESIDENT_CSV_COLUMNS.filter((column) => !names.includes(column));
	if (missing.length === RESIDENT_CSV_COLUMNS.length) {
		return {
			ok: false,
			reason: `第一行应是列名：${RESIDENT_CSV_COLUMNS.join('，')}。请下载模板，按模板填写`
		};
	}
	if (missing.length > 0) {
		return { ok: false, reason: `表头缺少这些列：${missing.join('，')}。请下载模板，按模板填写` };
	}
	if (body.length === 0) return { ok: false, reason: '表格里没有居民（只有列名）' };
	if (body.length > MAX_IMPORT_ROWS) {
		return {
			ok: false,
			reason: `表格有 ${body.length} 行，一次最多导入 ${MAX_IMPORT_ROWS} 行。请分成几个文件导入`
		};
	}
	const index = Object.fromEntries(
		RESIDENT_CSV_COLUMNS.map((column) => [column, names.indexOf(column)])
	) as Record<ResidentCsvColumn, number>;
	const seen = new Map<string, number>();
	const rows = body.map(({ line, cells: raw }) => {
		const cells = Object.fromEntries(
			RESIDENT_CSV_COLUMNS.map((column) => [column, raw[index[column]] ?? ''])
		) as CsvCells;
		const row = checkRow(line, cells);
		if (!row.ok) return row;
		const key = `${row.household.label}\u0000${row.name}`;
		const first = seen.get(key);
		if (first !== undefined) {
			return {
				line,
				cells,
				ok: false as const,
				reason: `与第 ${first} 行重复（同一户、同一姓名），这一行不导入`
			};
		}
		seen.set(key, line);
		return row;
	});
	return { ok: true, encoding: decoded.encoding, rows };
}

export interface ResidentCsvLine {
	household: Pick<HouseholdAddress, 'building' | 'unit' | 'room' | 'label'>;
	name: string;
	phone: string | null;
}

/**
 * The export: UTF-8 with a byte order mark (Excel needs it to read Chinese), CRLF, the import's
 * columns; a flat's address in 楼栋/单元/房号, a free label in 住户标签. Cells that a spreadsheet
 * would run as a formula get a leading apostrophe (csvField).
 */
export function residentCsv(lines: readonly ResidentCsvLine[]): string {
	const rows: string[][] = [
		[...RESIDENT_CSV_COLUMNS],
		...lines.map(({ household, name, phone }) =>
			household.room === null || household.room === undefined
				? ['', '', '', household.label, name, phone ?? '']
				: [household.building, household.unit ?? '', household.room, '', name, phone ?? '']
		)
	];
	return '\uFEFF' + rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The template: the column names only, so that no example row is imported by mistake. */
export function residentCsvTemplate(): string {
	return residentCsv([]);
}
