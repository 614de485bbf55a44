import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db/connection';
import { buildDemoCardSheet } from '$lib/server/demo/card-sheet';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ setHeaders }) => {
	// Only a database with the demo community has a demo sheet; real communities never do.
	const sheet = await buildDemoCardSheet(await getDatabase());
	if (!sheet) error(404, '演示卡片只在演示模式下提供');
	setHeaders({ 'cache-control': 'no-store' });
	return sheet;
};
