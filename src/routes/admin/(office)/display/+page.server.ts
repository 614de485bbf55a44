import { getDatabase } from '$lib/server/db/connection';
import { displayOverview } from '$lib/server/display/office-overview';
import { requireOfficePage } from '$lib/server/office/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies }) => {
	const account = await requireOfficePage(cookies, 'display');
	return { overview: await displayOverview(await getDatabase(), account.community_id) };
};
