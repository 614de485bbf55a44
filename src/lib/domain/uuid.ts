/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made on one device sort
 * by creation time, which keeps IndexedDB and SQLite indexes append-mostly.
 */

function hex(bytes: Uint8Array, from: number, to: number): string {
	let text = '';
	for (let i = from; i < to; i++) text += (bytes[i] as number).toString(16).padStart(2, '0');
	return text;
}

export function uuidv7(nowMs: number = Date.now()): string {
	const bytes = new Uint8Array(16);
	crypto.getRandomValues(bytes.subarray(6));
	// 48-bit big-endian timestamp; split because bit operators work on 32 bits only.
	const ms = Math.max(0, Math.floor(nowMs));
	const high = Math.floor(ms / 2 ** 32);
	const low = ms % 2 ** 32;
	bytes[0] = (high >>> 8) & 0xff;
	bytes[1] = high & 0xff;
	bytes[2] = (low >>> 24) & 0xff;
	bytes[3] = (low >>> 16) & 0xff;
	bytes[4] = (low >>> 8) & 0xff;
	bytes[5] = low & 0xff;
	bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f); // version 7
	bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f); // variant 10
	return `${hex(bytes, 0, 4)}-${hex(bytes, 4, 6)}-${hex(bytes, 6, 8)}-${hex(bytes, 8, 10)}-${hex(bytes, 10, 16)}`;
}

/** The creation time encoded in a UUIDv7, in Unix milliseconds. */
export function uuidv7Time(id: string): number {
	return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
