import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db/connection';
import { getDayReport } from '$lib/server/office/day-reports';
import { requireOfficePage } from '$lib/server/office/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies, params }) => {
	const account = await requireOfficePage(cookies, 'dayReports');
	const id = /^\d{1,9}$/.test(params.id) ? Number(params.id) : null;
	const found =
		id === null ? null : await getDayReport(await getDatabase(), account.community_id, id);
	if (!found) error(404, '没有这份日结报表');
	return found;
};
