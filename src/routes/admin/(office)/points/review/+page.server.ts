import { error, fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db/connection';
import { requireAdmin, requireOfficePage } from '$lib/server/office/guard';
import {
	approveAllRecords,
	approveRecords,
	refuseRecord,
	type DecisionOutcome
} from '$lib/server/office/point-records';
import {
	listReviewBatches,
	reviewPointsSetting,
	setReviewPoints
} from '$lib/server/office/point-review';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies }) => {
	const account = await requireOfficePage(cookies, 'review');
	const db = await getDatabase();
	const isAdmin = account.role === 'admin';
	return {
		isAdmin,
		accountId: account.id,
		review: await reviewPointsSetting(db, account.community_id),
		// An admin reviews everyone's pending records; a 网格员 follows their own.
		batches: await listReviewBatches(
			db,
			account.community_id,
			isAdmin ? {} : { recordedBy: account.id }
		)
	};
};

const ids = (form: FormData, name: string) =>
	form
		.getAll(name)
		.map((value) => Number(value))
		.filter((id) => Number.isInteger(id) && id > 0);

/** A decision the account may not make at all is a 403 page; anything else a message. */
function answer(outcome: DecisionOutcome, done: (count: number) => string) {
	if (outcome.ok) return { done: done(outcome.count) };
	if (outcome.forbidden) error(403, outcome.message);
	return fail(400, { message: outcome.message });
}

export const actions: Actions = {
	approve: async ({ cookies, request }) => {
		const account = await requireAdmin(cookies);
		const recordIds = ids(await request.formData(), 'recordId');
		const outcome = await approveRecords(await getDatabase(), account, recordIds);
		return answer(outcome, (count) => `已通过 ${count} 条`);
	},
	approveAll: async ({ cookies }) => {
		const account = await requireAdmin(cookies);
		const outcome = await approveAllRecords(await getDatabase(), account);
		return answer(outcome, (count) => `已全部通过，共 ${count} 条`);
	},
	refuse: async ({ cookies, request }) => {
		const account = await requireAdmin(cookies);
		const form = await request.formData();
		const [recordId] = ids(form, 'recordId');
		if (!recordId) return fail(400, { message: '找不到这条记录' });
		const reason = String(form.get('reason') ?? '');
		const outcome = await refuseRecord(await getDatabase(), account, recordId, reason);
		return answer(outcome, () => '已标记为不通过');
	},
	setting: async ({ cookies, request }) => {
		const account = await requireAdmin(cookies);
		const review = (await request.formData()).get('review') !== null;
		const outcome = await setReviewPoints(await getDatabase(), account, review);
		if (!outcome.ok) error(403, outcome.message);
		return { done: review ? '已开启审核' : '已关闭审核：网格员录入的积分会立即生效' };
	}
};
