import { getDatabase } from '$lib/server/db/connection';
import { requireOfficePage } from '$lib/server/office/guard';
import { listBuildings } from '$lib/server/office/residents';
import { searchResidents } from '$lib/server/office/resident-search';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 20;

export const load: PageServerLoad = async ({ cookies, url }) => {
	const account = await requireOfficePage(cookies, 'residents');
	const db = await getDatabase();
	const query = (url.searchParams.get('q') ?? '').trim().slice(0, 40);
	const building = (url.searchParams.get('building') ?? '').slice(0, 40);
	const includeMovedOut = url.searchParams.get('all') === '1';
	const requested = Number(url.searchParams.get('page'));
	const page = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 100_000) : 1;
	const found = await searchResidents(db, account.community_id, {
		query,
		building: building || undefined,
		includeMovedOut,
		offset: (page - 1) * PAGE_SIZE,
		limit: PAGE_SIZE
	});
	return {
		search: { query, building, includeMovedOut },
		page,
		pages: Math.max(1, Math.ceil(found.total / PAGE_SIZE)),
		total: found.total,
		rows: found.rows,
		buildings: await listBuildings(db, account.community_id),
		canEdit: account.role === 'admin'
	};
};
