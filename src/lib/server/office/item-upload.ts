import { checkItemInput, itemInputFromForm } from '$lib/office/item-form';
import { formFileBytes, storeImage } from '../uploads/images';
import type { ItemChange } from './catalogue';

/*
 * The item form as it arrives (multipart, with maybe a picture) turned into an ItemChange. The
 * fields are checked before the picture is stored, so a refused form leaves no orphan file.
 */

export type ItemFormRead = { ok: true; change: ItemChange } | { ok: false; message: string };

export async function readItemForm(form: FormData, dataDir: string): Promise<ItemFormRead> {
	const fields = itemInputFromForm(form);
	const checked = checkItemInput(fields);
	if (!checked.ok) return checked;
	const bytes = await formFileBytes(form.get('picture'));
	if (bytes) {
		const stored = await storeImage(dataDir, 'items', bytes);
		if (!stored.ok) return { ok: false, message: stored.message };
		return { ok: true, change: { fields, picture: stored.name } };
	}
	return {
		ok: true,
		change: { fields, picture: form.get('removePicture') === 'on' ? null : undefined }
	};
}
