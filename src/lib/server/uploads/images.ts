import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/*
 * Pictures the office uploads: item pictures (public, shown on kiosks) and evidence photos for
 * points (office accounts only). The browser resizes them first (office/resize-image.ts); here the
 * server trusts nothing: the bytes must be a real JPEG, PNG or WebP (never SVG, which can carry
 * script), within a size limit, and leave with their metadata (EXIF GPS, XMP, text chunks) cut
 * out. Files live under DATA_DIR/uploads/<kind>/, named by their content's hash, so a name never
 * changes meaning and can be cached for ever.
 */

export const IMAGE_KINDS = ['items', 'evidence'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

export type ImageType = 'jpeg' | 'png' | 'webp';

const CONTENT_TYPES: Record<ImageType, string> = {
	jpeg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp'
};

/** After the browser's resize a picture is a few hundred KB; this leaves room for no-JS uploads. */
export const MAX_IMAGE_BYTES = 1_500_000;
/** Larger than any phone camera; a bigger "image" is a decompression bomb, not a photo. */
export const MAX_IMAGE_SIDE = 8000;

export interface ImageInfo {
	type: ImageType;
	width: number;
	height: number;
}

/** Reads the type and size from the file's own header; null when it is not a JPEG, PNG or WebP. */
export function sniffImage(bytes: Uint8Array): ImageInfo | null {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const ascii = (offset: number, length: number) =>
		String.fromCharCode(...bytes.subarray(offset, offset + length));
	if (bytes.length >= 24 && ascii(1, 3) === 'PNG' && bytes[0] === 0x89 && ascii(12, 4) === 'IHDR') {
		return { type: 'png', width: view.getUint32(16), height: view.getUint32(20) };
	}
	if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return sniffJpeg(bytes, view);
	if (bytes.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') {
		const chunk = ascii(12, 4);
		if (chunk === 'VP8 ' && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a) {
			return {
				type: 'webp',
				width: view.getUint16(26, true) & 0x3fff,
				height: view.getUint16(28, true) & 0x3fff
			};
		}
		if (chunk === 'VP8L' && bytes[20] === 0x2f) {
			const bits = view.getUint32(21, true);
			return { type: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
		}
		if (chunk === 'VP8X') {
			const width = 1 + (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16));
			const height = 1 + (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16));
			return { type: 'webp', width, height };
		}
	}
	return null;
}

function sniffJpeg(bytes: Uint8Array, view: DataView): ImageInfo | null {
	let offset = 2;
	while (offset + 9 < bytes.length) {
		if (bytes[offset] !== 0xff) return null;
		const marker = bytes[offset + 1]!;
		if (marker === 0xff) {
			offset += 1;
			continue;
		}
		const length = view.getUint16(offset + 2);
		// SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame's size.
		if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
			return {
				type: 'jpeg',
				height: view.getUint16(offset + 5),
				width: view.getUint16(offset + 7)
			};
		}
		offset += 2 + length;
	}
	return null;
}

/** JPEG segments that carry metadata: APP1 (EXIF, XMP) to APP15, and comments. APP0 (JFIF) stays. */
const isJpegMetadata = (marker: number) => (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe;
/** PNG chunks that carry metadata (text, EXIF, time); everything else is picture. */
const PNG_METADATA = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);
/** WebP chunks that carry metadata. */
const WEBP_METADATA = new Set(['EXIF', 'XMP ']);

/** The same picture without its metadata (a phone's EXIF holds where the photo was taken). */
export function stripImageMetadata(bytes: Uint8Array, type: ImageType): Uint8Array {
	if (type === 'jpeg') return stripJpeg(bytes);
	if (type === 'png') return stripPng(bytes);
	return stripWebp(bytes);
}

function stripJpeg(bytes: Uint8Array): Uint8Array {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const kept: Uint8Array[] = [bytes.subarray(0, 2)];
	let offset = 2;
	while (offset + 4 <= bytes.length) {
		const marker = bytes[offset + 1]!;
		// Start of scan: the rest is the compressed picture.
		if (marker === 0xda) break;
		const end = offset + 2 + view.getUint16(offset + 2);
		if (!isJpegMetadata(marker)) kept.push(bytes.subarray(offset, end));
		offset = end;
	}
	kept.push(bytes.subarray(offset));
	return concat(kept);
}

function stripPng(bytes: Uint8Array): Uint8Array {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const kept: Uint8Array[] = [bytes.subarray(0, 8)];
	let offset = 8;
	while (offset + 12 <= bytes.length) {
		const length = view.getUint32(offset);
		const name = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
		const end = offset + 12 + length;
		if (!PNG_METADATA.has(name)) kept.push(bytes.subarray(offset, end));
		offset = end;
	}
	return concat(kept);
}

function stripWebp(bytes: Uint8Array): Uint8Array {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const chunks: Uint8Array[] = [];
	let offset = 12;
	while (offset + 8 <= bytes.length) {
		const name = String.fromCharCode(...bytes.subarray(offset, offset + 4));
		const size = view.getUint32(offset + 4, true);
		const end = Math.min(bytes.length, offset + 8 + size + (size % 2));
		if (!WEBP_METADATA.has(name)) {
			const chunk = bytes.slice(offset, end);
			// VP8X flags: clear "has EXIF" (bit 3) and "has XMP" (bit 2).
			if (name === 'VP8X') chunk[8] = chunk[8]! & ~0x0c;
			chunks.push(chunk);
		}
		offset = end;
	}
	const body = concat(chunks);
	const header = new Uint8Array(12);
	header.set(bytes.subarray(0, 12));
	new DataView(header.buffer).setUint32(4, body.length + 4, true);
	return concat([header, body]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

export type StoreImageOutcome =
	| { ok: true; name: string; info: ImageInfo }
	| {
			ok: false;
			reason: 'too_large' | 'not_an_image' | 'too_many_pixels' | 'storage_full';
			message: string;
	  };

export function uploadsDirectory(dataDir: string, kind: ImageKind): string {
	return join(dataDir, 'uploads', kind);
}

/**
 * Checks and stores an uploaded picture; answers its file name (content hash + extension) or a
 * Chinese reason. The same picture twice is one file.
 */
export async function storeImage(
	dataDir: string,
	kind: ImageKind,
	bytes: Uint8Array
): Promise<StoreImageOutcome> {
	if (bytes.length > MAX_IMAGE_BYTES) {
		return {
			ok: false,
			reason: 'too_large',
			message: '图片太大了，请换一张小一点的（不超过 1.5 MB）'
		};
	}
	const info = sniffImage(bytes);
	if (!info || info.width === 0 || info.height === 0) {
		return {
			ok: false,
			reason: 'not_an_image',
			message: '这不是一张图片，请选择 JPG、PNG 或 WebP 格式的照片'
		};
	}
	if (info.width > MAX_IMAGE_SIDE || info.height > MAX_IMAGE_SIDE) {
		return { ok: false, reason: 'too_many_pixels', message: '图片尺寸太大了，请换一张照片' };
	}
	const clean = stripImageMetadata(bytes, info.type);
	const name = `${createHash('sha256').update(clean).digest('hex').slice(0, 32)}.${info.type === 'jpeg' ? 'jpg' : info.type}`;
	const folder = uploadsDirectory(dataDir, kind);
	const temporary = join(folder, `.${randomBytes(8).toString('hex')}.tmp`);
	try {
		await mkdir(folder, { recursive: true });
		await writeFile(temporary, clean);
		await rename(temporary, join(folder, name));
	} catch (error) {
		await rm(temporary, { force: true });
		if ((error as NodeJS.ErrnoException).code === 'ENOSPC') {
			return { ok: false, reason: 'storage_full', message: '服务器存储空间已满，图片没有保存' };
		}
		throw error;
	}
	return { ok: true, name, info };
}

const STORED_NAME = /^[0-9a-f]{32}\.(jpg|png|webp)$/;

/** True for a file name storeImage could have answered (never a path, never another type). */
export function isStoredImageName(name: string): boolean {
	return STORED_NAME.test(name);
}

/** A stored picture's bytes and content type; null for a name we never made or a missing file. */
export async function readStoredImage(
	dataDir: string,
	kind: ImageKind,
	name: string
): Promise<{ bytes: Uint8Array; contentType: string } | null> {
	const match = STORED_NAME.exec(name);
	if (!match) return null;
	try {
		const bytes = await readFile(join(uploadsDirectory(dataDir, kind), name));
		const type: ImageType = match[1] === 'jpg' ? 'jpeg' : (match[1] as ImageType);
		return { bytes, contentType: CONTENT_TYPES[type] };
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
}

/** Reads an uploaded form field as bytes; null when the field holds no file. */
export async function formFileBytes(value: FormDataEntryValue | null): Promise<Uint8Array | null> {
	if (!value || typeof value === 'string' || value.size === 0) return null;
	return new Uint8Array(await value.arrayBuffer());
}
