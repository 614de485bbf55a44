import { error, fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db/connection';
import { requireAdmin } from '$lib/server/office/guard';
import { correctEntry, loadCorrectableEntry } from '$lib/server/office/point-records';
import type { Actions, PageServerLoad } from './$types';

const entryIdOf = (text: string) => {
	const id = Number(text);
	return Number.isInteger(id) && id > 0 ? id : null;
};

export const load: PageServerLoad = async ({ cookies, params }) => {
	const account = await requireAdmin(cookies);
	const entryId = entryIdOf(params.entryId);
	const entry =
		entryId === null
			? null
			: await loadCorrectableEntry(await getDatabase(), account.community_id, entryId);
	if (!entry) error(404, '找不到这条积分记录（只能更正加分和扣分）');
	return { entry };
};

export const actions: Actions = {
	default: async ({ cookies, params, request }) => {
		const account = await requireAdmin(cookies);
		const entryId = entryIdOf(params.entryId);
		if (entryId === null) return fail(400, { message: '找不到这条积分记录' });
		const reason = String((await request.formData()).get('reason') ?? '');
		const outcome = await correctEntry(await getDatabase(), account, entryId, reason);
		if (!outcome.ok) {
			if (outcome.forbidden) error(403, outcome.message);
			return fail(400, { message: outcome.message, reason });
		}
		return { corrected: true };
	}
};
