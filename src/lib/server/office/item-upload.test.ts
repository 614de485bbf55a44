import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uploadsDirectory } from '../uploads/images';
import { readItemForm } from './item-upload';

let dataDir: string;
beforeEach(() => {
	dataDir = mkdtempSync(join(tmpdir(), 'item-upload-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function itemForm(picture?: { bytes: Uint8Array; type: string; name: string }, points = '30') {
	const form = new FormData();
	form.set('name', '香皂');
	form.set('category', '日用品');
	form.set('kind', 'goods');
	form.set('points', points);
	form.set('sortOrder', '3');
	form.set('stockTracked', 'on');
	form.set('active', 'on');
	if (picture) {
		form.set(
			'picture',
			new File([picture.bytes as BlobPart], picture.name, { type: picture.type })
		);
	}
	return form;
}

const stored = () => {
	try {
		return readdirSync(uploadsDirectory(dataDir, 'items'));
	} catch {
		return [];
	}
};

describe('readItemForm', () => {
	it('stores a real picture and answers its file name with the fields', async () => {
		const png = await QRCode.toBuffer('SOAP', { type: 'png', scale: 4 });
		const read = await readItemForm(
			itemForm({ bytes: png, type: 'image/png', name: 'soap.png' }),
			dataDir
		);
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		expect(read.change.picture).toMatch(/^[0-9a-f]{32}\.png$/);
		expect(read.change.fields).toMatchObject({ name: '香皂', points: 30, stockTracked: true });
		expect(stored()).toEqual([read.change.picture]);
	});

	it.each([
		[
			'an SVG',
			new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'),
			/不是一张图片/
		],
		['a text file called .jpg', new TextEncoder().encode('不是照片'), /不是一张图片/],
		['a 30 MB file', new Uint8Array(30 * 1024 * 1024), /图片太大/]
	])('refuses %s with a Chinese reason and stores nothing', async (_, bytes, message) => {
		const read = await readItemForm(
			itemForm({ bytes, type: 'image/jpeg', name: 'photo.jpg' }),
			dataDir
		);
		expect(read.ok).toBe(false);
		expect(!read.ok && read.message).toMatch(message);
		expect(stored()).toEqual([]);
	});

	it('checks the fields before it stores a picture, so a refused form leaves no file', async () => {
		const png = await QRCode.toBuffer('SOAP', { type: 'png', scale: 4 });
		const read = await readItemForm(
			itemForm({ bytes: png, type: 'image/png', name: 'soap.png' }, '-1'),
			dataDir
		);
		expect(read).toEqual({ ok: false, message: '积分价格要填 1 到 100,000 之间的整数' });
		expect(stored()).toEqual([]);
	});

	it('keeps the picture when none is chosen, and takes it away when asked', async () => {
		const kept = await readItemForm(itemForm(), dataDir);
		expect(kept.ok && kept.change.picture).toBeUndefined();
		const form = itemForm();
		form.set('removePicture', 'on');
		const removed = await readItemForm(form, dataDir);
		expect(removed.ok && removed.change.picture).toBeNull();
	});
});
