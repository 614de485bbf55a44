import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { getDatabase } from '$lib/server/db/connection';
import { requireAdmin, requireOfficePage } from '$lib/server/office/guard';
import {
	RESOLUTION_NOTE_MAX,
	resolveReviewFlag,
	reviewFlagsView
} from '$lib/server/office/review-flags';
import type { Actions, PageServerLoad } from './$types';

const ResolveSchema = v.object({
	flagId: v.pipe(
		v.string('找不到这条待核查的记录'),
		v.regex(/^\d{1,9}$/, '找不到这条待核查的记录'),
		v.transform(Number)
	),
	note: v.optional(
		v.pipe(
			v.string('处理说明只能是文字'),
			v.maxLength(RESOLUTION_NOTE_MAX, `处理说明最多 ${RESOLUTION_NOTE_MAX} 个字`)
		),
		''
	)
});

export const load: PageServerLoad = async ({ cookies, url }) => {
	const account = await requireOfficePage(cookies, 'flags');
	const resolved = url.searchParams.get('status') === 'resolved';
	return {
		resolved,
		noteMax: RESOLUTION_NOTE_MAX,
		...(await reviewFlagsView(await getDatabase(), account.community_id, resolved))
	};
};

export const actions: Actions = {
	resolve: async ({ cookies, request }) => {
		const account = await requireAdmin(cookies);
		const form = await request.formData();
		const parsed = v.safeParse(ResolveSchema, {
			flagId: form.get('flagId') ?? '',
			note: form.get('note') ?? ''
		});
		if (!parsed.success) return fail(400, { message: parsed.issues[0].message });
		const { flagId, note } = parsed.output;
		const outcome = await resolveReviewFlag(await getDatabase(), account, flagId, note);
		if (!outcome.ok) return fail(400, { message: outcome.message });
		return { done: '已标记为已处理' };
	}
};
