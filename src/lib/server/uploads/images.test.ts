import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import QRCode from 'qrcode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	readStoredImage,
	sniffImage,
	storeImage,
	stripImageMetadata,
	uploadsDirectory
} from './images';

const GPS = 'GPSLatitude 31.2304 N';
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const containsText = (bytes: Uint8Array, text: string) =>
	Buffer.from(bytes).toString('latin1').includes(text);

function pngChunk(name: string, data: Uint8Array): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(name, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
	return Buffer.concat([head, data, crc]);
}

/** A real PNG (a QR code of 4 px modules) with a text chunk and an EXIF chunk holding a place. */
async function pngWithMetadata(): Promise<Uint8Array> {
	const plain = await QRCode.toBuffer('CS1', { type: 'png', scale: 4, margin: 1 });
	const ihdrEnd = 8 + 25;
	return new Uint8Array(
		Buffer.concat([
			plain.subarray(0, ihdrEnd),
			pngChunk('tEXt', latin1(`Comment\0${GPS}`)),
			pngChunk('eXIf', latin1(`MM\0*${GPS}`)),
			plain.subarray(ihdrEnd)
		])
	);
}

/** A JPEG's structure: SOI, JFIF, an EXIF segment with a place, a frame of 640×480, scan, EOI. */
function jpegWithMetadata(): Uint8Array {
	const segment = (marker: number, body: Uint8Array) => {
		const head = Buffer.from([0xff, marker, 0, 0]);
		head.writeUInt16BE(body.length + 2, 2);
		return Buffer.concat([head, body]);
	};
	const frame = Buffer.from([8, 0x01, 0xe0, 0x02, 0x80, 1, 1, 0x11, 0]);
	return new Uint8Array(
		Buffer.concat([
			Buffer.from([0xff, 0xd8]),
			segment(0xe0, latin1('JFIF\0\x01\x01\0\0\x01\0\x01\0\0')),
			segment(0xe1, latin1(`Exif\0\0${GPS}`)),
			segment(0xc0, frame),
			segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
			Buffer.from([0x12, 0x34, 0x56, 0xff, 0xd9])
		])
	);
}

/** A WebP (VP8X container, lossless picture of 5×7) with EXIF and XMP chunks. */
function webpWithMetadata(): Uint8Array {
	const chunk = (name: string, data: Uint8Array) => {
		const head = Buffer.alloc(8);
		head.write(name, 0, 'latin1');
		head.writeUInt32LE(data.length, 4);
		return Buffer.concat([head, data, data.length % 2 ? Buffer.from([0]) : Buffer.alloc(0)]);
	};
	const vp8x = Buffer.alloc(10);
	vp8x[0] = 0x0c;
	vp8x.writeUIntLE(5 - 1, 4, 3);
	vp8x.writeUIntLE(7 - 1, 7, 3);
	const vp8l = Buffer.alloc(10);
	vp8l[0] = 0x2f;
	vp8l.writeUInt32LE((5 - 1) | ((7 - 1) << 14), 1);
	const body = Buffer.concat([
		chunk('VP8X', vp8x),
		chunk('VP8L', vp8l),
		chunk('EXIF', latin1(GPS)),
		chunk('XMP ', latin1(`<x>${GPS}</x>`))
	]);
	const header = Buffer.alloc(12);
	header.write('RIFF', 0, 'latin1');
	header.writeUInt32LE(body.length + 4, 4);
	header.write('WEBP', 8, 'latin1');
	return new Uint8Array(Buffer.concat([header, body]));
}

describe('sniffImage', () => {
	it('reads the type and size of a PNG, a JPEG and a WebP from their headers', async () => {
		expect(sniffImage(await pngWithMetadata())).toMatchObject({ type: 'png' });
		expect(sniffImage(jpegWithMetadata())).toEqual({ type: 'jpeg', width: 640, height: 480 });
		expect(sniffImage(webpWithMetadata())).toEqual({ type: 'webp', width: 5, height: 7 });
	});

	it('does not take an SVG, a GIF, text or an empty file for a picture', () => {
		const svg = latin1('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
		expect(sniffImage(svg)).toBeNull();
		expect(sniffImage(latin1('GIF89a\x01\0\x01\0'))).toBeNull();
		expect(sniffImage(latin1('姓名,手机号'))).toBeNull();
		expect(sniffImage(new Uint8Array())).toBeNull();
	});
});

describe('stripImageMetadata', () => {
	it('cuts the place a photo was taken out of every format and keeps the picture', async () => {
		for (const bytes of [await pngWithMetadata(), jpegWithMetadata(), webpWithMetadata()]) {
			const info = sniffImage(bytes)!;
			expect(containsText(bytes, GPS)).toBe(true);
			const clean = stripImageMetadata(bytes, info.type);
			expect(containsText(clean, GPS)).toBe(false);
			expect(sniffImage(clean)).toEqual(info);
		}
	});

	it('leaves a PNG whose chunks are all whole, from IHDR to IEND', async () => {
		const clean = Buffer.from(stripImageMetadata(await pngWithMetadata(), 'png'));
		const names: string[] = [];
		for (let offset = 8; offset < clean.length;) {
			const length = clean.readUInt32BE(offset);
			const typed = clean.subarray(offset + 4, offset + 8 + length);
			expect(clean.readUInt32BE(offset + 8 + length)).toBe(crc32(typed) >>> 0);
			names.push(typed.subarray(0, 4).toString('latin1'));
			offset += 12 + length;
		}
		expect(names[0]).toBe('IHDR');
		expect(names.at(-1)).toBe('IEND');
		expect(names).toContain('IDAT');
	});

	it('keeps a WebP container whose size field matches its chunks', () => {
		const clean = stripImageMetadata(webpWithMetadata(), 'webp');
		expect(Buffer.from(clean).readUInt32LE(4)).toBe(clean.length - 8);
		expect(clean[20]! & 0x0c).toBe(0);
	});
});

describe('storeImage', () => {
	let dataDir: string;
	beforeEach(() => {
		dataDir = mkdtempSync(join(tmpdir(), 'credit-shop-uploads-'));
	});
	afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

	it('stores a picture without its metadata under a name made of its content', async () => {
		const stored = await storeImage(dataDir, 'evidence', await pngWithMetadata());
		if (!stored.ok) throw new Error(stored.message);
		expect(stored.name).toMatch(/^[0-9a-f]{32}\.png$/);
		const read = await readStoredImage(dataDir, 'evidence', stored.name);
		expect(read?.contentType).toBe('image/png');
		expect(containsText(read!.bytes, GPS)).toBe(false);
		const again = await storeImage(dataDir, 'evidence', await pngWithMetadata());
		expect(again.ok && again.name).toBe(stored.name);
		expect(readdirSync(uploadsDirectory(dataDir, 'evidence'))).toEqual([stored.name]);
	});

	it('refuses a file that is not a picture, or too large, with a Chinese reason and stores nothing', async () => {
		const notImage = await storeImage(dataDir, 'items', latin1('<svg></svg>'));
		expect(notImage).toMatchObject({ ok: false, reason: 'not_an_image' });
		const huge = new Uint8Array(30 * 1024 * 1024);
		huge.set(await pngWithMetadata());
		const tooLarge = await storeImage(dataDir, 'items', huge);
		expect(tooLarge).toMatchObject({ ok: false, reason: 'too_large' });
		expect(!tooLarge.ok && tooLarge.message).toMatch(/图片太大/);
		expect(() => readdirSync(uploadsDirectory(dataDir, 'items'))).toThrow();
	});

	it('reads back only names it made', async () => {
		expect(await readStoredImage(dataDir, 'items', '../credit-shop.sqlite')).toBeNull();
		expect(await readStoredImage(dataDir, 'items', `${'a'.repeat(32)}.png`)).toBeNull();
	});
});
