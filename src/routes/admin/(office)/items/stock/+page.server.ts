import { getDatabase } from '$lib/server/db/connection';
import { stockOverview } from '$lib/server/office/catalogue';
import { requireOfficePage } from '$lib/server/office/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies }) => {
	const account = await requireOfficePage(cookies, 'items');
	return { lines: await stockOverview(await getDatabase(), account.community_id) };
};
