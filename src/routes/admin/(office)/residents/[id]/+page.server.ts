import { error, fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db/connection';
import { requireAdmin, requireOfficePage } from '$lib/server/office/guard';
import { residentDetail } from '$lib/server/office/resident-detail';
import { setResidentLivingHere } from '$lib/server/office/residents';
import type { Actions, PageServerLoad } from './$types';

function residentId(param: string): number {
	const id = Number(param);
	if (!/^\d{1,12}$/.test(param) || !Number.isSafeInteger(id)) error(404, '没有找到这位居民');
	return id;
}

export const load: PageServerLoad = async ({ cookies, params, url }) => {
	const account = await requireOfficePage(cookies, 'residents');
	const resident = await residentDetail(
		await getDatabase(),
		account.community_id,
		residentId(params.id)
	);
	if (!resident) error(404, '没有找到这位居民');
	return {
		resident,
		canEdit: account.role === 'admin',
		confirming: url.searchParams.get('confirm') === 'moveOut',
		saved: url.searchParams.has('saved')
	};
};

async function livingHere(
	cookies: Parameters<typeof requireAdmin>[0],
	param: string,
	value: boolean
) {
	const account = await requireAdmin(cookies);
	const result = await setResidentLivingHere(
		await getDatabase(),
		{ communityId: account.community_id, accountId: account.id },
		residentId(param),
		value
	);
	if (!result.ok) return fail(400, { message: result.message });
	return {
		done: value
			? '已迁回，积分卡可以继续使用'
			: '已迁出。积分记录都保留，柜台终端下次同步后不再接受此人的积分卡'
	};
}

export const actions: Actions = {
	moveOut: ({ cookies, params }) => livingHere(cookies, params.id, false),
	moveIn: ({ cookies, params }) => livingHere(cookies, params.id, true)
};
