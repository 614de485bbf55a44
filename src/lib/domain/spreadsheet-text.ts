/**
 * A CSV file as Excel and WPS save it, from bytes to rows of cells. They save UTF-8 with a byte
 * order mark ("CSV UTF-8"), UTF-8 without one (WPS, LibreOffice), or GB18030/GBK ("CSV (逗号分隔)"
 * on a Chinese Windows). Other encodings are refused with what to do, rather than read as
 * garbage: UTF-16 ("Unicode 文本"), an .xlsx workbook renamed, or text that decodes to
 * replacement or private-use characters (Big5, Shift-JIS, a file converted twice).
 */

export type Decoded =
	{ ok: true; text: string; encoding: 'UTF-8' | 'GB18030' } | { ok: false; reason: string };

const SAVE_AS = '请在 Excel 或 WPS 里“另存为”，类型选“CSV UTF-8（逗号分隔）”后再上传';

export const DECODE_REASONS = {
	empty: '文件是空的',
	workbook: `这是 Excel 工作簿（.xlsx/.xls），不是 CSV 文件。${SAVE_AS}`,
	utf16: `文件是 UTF-16（Unicode 文本）编码。${SAVE_AS}`,
	binary: `这不是文本格式的 CSV 文件。${SAVE_AS}`,
	garbled: `文件内容是乱码，编码不对（只认 UTF-8 和 GB18030/GBK）。${SAVE_AS}`
} as const;

/** U+FFFD, the private use area and C1 controls: what a wrong decoding leaves behind. */
const GARBLE = /[\ufffd\ue000-\uf8ff\u0080-\u009f]/;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
	return prefix.every((byte, index) => bytes[index] === byte);
}

function tryDecode(encoding: string, bytes: Uint8Array): string | null {
	try {
		return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		return null;
	}
}

export function decodeSpreadsheetText(bytes: Uint8Array): Decoded {
	if (bytes.length === 0) return { ok: false, reason: DECODE_REASONS.empty };
	if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) {
		return { ok: false, reason: DECODE_REASONS.workbook };
	}
	if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
		return { ok: false, reason: DECODE_REASONS.utf16 };
	}
	if (bytes.includes(0)) return { ok: false, reason: DECODE_REASONS.binary };

	let decoded: { text: string; encoding: 'UTF-8' | 'GB18030' } | null = null;
	const utf8 = tryDecode('utf-8', bytes);
	if (utf8 !== null) decoded = { text: utf8, encoding: 'UTF-8' };
	else if (!startsWith(bytes, [0xef, 0xbb, 0xbf])) {
		const gb18030 = tryDecode('gb18030', bytes);
		if (gb18030 !== null) decoded = { text: gb18030, encoding: 'GB18030' };
	}
	if (!decoded || GARBLE.test(decoded.text)) return { ok: false, reason: DECODE_REASONS.garbled };
	return { ok: true, ...decoded };
}

/**
 * RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks; CRLF, LF or CR
 * end a row. Rows with only empty cells are left out (Excel leaves trailing ones). Each row
 * keeps the line number it starts on, for the clerk.
 */
export function parseCsv(text: string): Array<{ line: number; cells: string[] }> {
	const rows: Array<{ line: number; cells: string[] }> = [];
	let cells: string[] = [];
	let cell = '';
	let quoted = false;
	let line = 1;
	let rowLine = 1;
	const endCell = () => {
		cells.push(cell);
		cell = '';
	};
	const endRow = () => {
		endCell();
		if (cells.some((value) => value.trim() !== '')) rows.push({ line: rowLine, cells });
		cells = [];
	};
	for (let i = 0; i < text.length; i++) {
		const char = text[i]!;
		if (quoted) {
			if (char === '"') {
				if (text[i + 1] === '"') {
					cell += '"';
					i++;
				} else quoted = false;
			} else {
				if (char === '\n') line++;
				cell += char;
			}
		} else if (char === '"' && cell === '') quoted = true;
		else if (char === ',') endCell();
		else if (char === '\r' || char === '\n') {
			if (char === '\r' && text[i + 1] === '\n') i++;
			endRow();
			line++;
			rowLine = line;
		} else cell += char;
	}
	if (cell !== '' || cells.length > 0) endRow();
	return rows;
}

/**
 * Text a spreadsheet would run as a formula when the cell is opened (=, +, -, @ first, or a tab
 * or carriage return before one): the "CSV injection" of `=cmd|' /C calc'!A0`.
 */
export function looksLikeFormula(cell: string): boolean {
	return /^\s*[=+\-@]/.test(cell) || /^[\t\r]/.test(cell);
}
