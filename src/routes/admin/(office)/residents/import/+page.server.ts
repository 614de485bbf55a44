import { fail } from '@sveltejs/kit';
import { MAX_IMPORT_BYTES, tooLargeReason } from '$lib/domain/resident-csv';
import { dataDirectory, getDatabase } from '$lib/server/db/connection';
import { requireAdmin } from '$lib/server/office/guard';
import {
	commitResidentImport,
	planForScreen,
	stageResidentImport
} from '$lib/server/office/resident-import';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies }) => {
	await requireAdmin(cookies);
	return { maxBytes: MAX_IMPORT_BYTES };
};

export const actions: Actions = {
	preview: async ({ cookies, request }) => {
		const account = await requireAdmin(cookies);
		let form: FormData;
		try {
			form = await request.formData();
		} catch {
			// The server cut the upload at its body size limit (BODY_SIZE_LIMIT).
			const length = Number(request.headers.get('content-length'));
			return fail(413, {
				message:
					Number.isFinite(length) && length > 0
						? tooLargeReason(length)
						: '上传没有完成，请再试一次'
			});
		}
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) {
			return fail(400, { message: '请选择要导入的表格文件（CSV）' });
		}
		if (file.size > MAX_IMPORT_BYTES) return fail(413, { message: tooLargeReason(file.size) });
		const staged = await stageResidentImport(
			await getDatabase(),
			dataDirectory(),
			account.community_id,
			file.name.slice(0, 80),
			new Uint8Array(await file.arrayBuffer())
		);
		if (!staged.ok) return fail(400, { message: staged.message });
		return { plan: planForScreen(staged.plan) };
	},
	confirm: async ({ cookies, request }) => {
		const account = await requireAdmin(cookies);
		const form = await request.formData();
		const token = String(form.get('token') ?? '');
		const digest = String(form.get('digest') ?? '');
		const result = await commitResidentImport(
			await getDatabase(),
			dataDirectory(),
			{ communityId: account.community_id, accountId: account.id },
			token,
			digest
		);
		if (result.ok) return { imported: result };
		if (result.plan)
			return fail(409, { message: result.message, plan: planForScreen(result.plan) });
		return fail(400, { message: result.message });
	}
};
