import { MAX_IMAGE_BYTES } from '../uploads/images';

/*
 * Reading an office form that may carry a picture. A body past the server's BODY_SIZE_LIMIT
 * (2 MB) errors while it is read; answering that as a form failure keeps the office on its page
 * with a Chinese sentence instead of a bare error page (a 30 MB photo sent without JavaScript,
 * where the browser could not shrink it first).
 */

export type OfficeFormRead = { ok: true; form: FormData } | { ok: false; message: string };

export const FORM_TOO_LARGE_MESSAGE = `提交的内容太大了：图片请不要超过 ${MAX_IMAGE_BYTES / 1_000_000} MB，请换一张小一点的`;

export async function readOfficeForm(request: Request): Promise<OfficeFormRead> {
	try {
		return { ok: true, form: await request.formData() };
	} catch (error) {
		if ((error as { status?: number } | null)?.status === 413) {
			return { ok: false, message: FORM_TOO_LARGE_MESSAGE };
		}
		return { ok: false, message: '表单没有提交完整，请重新提交' };
	}
}
