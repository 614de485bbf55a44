/**
 * Encodes text as GB18030 (two-byte GBK range only), as Excel on a Chinese Windows saves a CSV.
 * Node can decode GB18030 but not encode it; the table is built once by decoding every two-byte
 * code. Enough for Chinese names and addresses in tests.
 */
let table: Map<string, [number, number]> | null = null;

function gbkTable(): Map<string, [number, number]> {
	if (table) return table;
	table = new Map();
	const decoder = new TextDecoder('gb18030');
	for (let lead = 0x81; lead <= 0xfe; lead++) {
		for (let trail = 0x40; trail <= 0xfe; trail++) {
			if (trail === 0x7f) continue;
			const char = decoder.decode(new Uint8Array([lead, trail]));
			if (char.length === 1 && !table.has(char)) table.set(char, [lead, trail]);
		}
	}
	return table;
}

export function encodeGb18030(text: string): Uint8Array {
	const codes = gbkTable();
	const bytes: number[] = [];
	for (const char of text) {
		const code = char.codePointAt(0)!;
		if (code < 0x80) bytes.push(code);
		else {
			const pair = codes.get(char);
			if (!pair) throw new Error(`not in GBK: ${char}`);
			bytes.push(...pair);
		}
	}
	return new Uint8Array(bytes);
}
