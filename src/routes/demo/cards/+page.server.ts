import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db/connection';
import { isDemoDatabase } from '$lib/server/db/installation';
import { buildDemoCardSheet } from '$lib/server/demo/card-sheet';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ setHeaders }) => {
	// Only a database the demo seed made (and marked) has a sheet: a real community never does,
	// even one that happens to use the demo's community code.
	const db = await getDatabase();
	const sheet = (await isDemoDatabase(db)) ? await buildDemoCardSheet(db) : null;
	if (!sheet) error(404, '演示卡片只在演示模式下提供');
	setHeaders({ 'cache-control': 'no-store' });
	return sheet;
};
