import { getDatabase } from '$lib/server/db/connection';
import { listDayReports } from '$lib/server/office/day-reports';
import { requireOfficePage } from '$lib/server/office/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies }) => {
	const account = await requireOfficePage(cookies, 'dayReports');
	return { reports: await listDayReports(await getDatabase(), account.community_id) };
};
