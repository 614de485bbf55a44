import { error } from '@sveltejs/kit';
import { chunked } from '$lib/server/db/chunks';
import { getDatabase } from '$lib/server/db/connection';
import { isDemoDatabase } from '$lib/server/db/installation';
import { buildDemoCardSheet } from '$lib/server/demo/card-sheet';
import type { PageServerLoad } from './$types';

/**
 * Cards on one printed A4 page: four rows of two at card size (85.6 × 54 mm) leave room for a
 * section's heading within the printable 277 mm; five rows would not.
 */
const CARDS_PER_PAGE = 8;

export const load: PageServerLoad = async ({ setHeaders }) => {
	// Only a database the demo seed made (and marked) has a sheet: a real community never does,
	// even one that happens to use the demo's community code.
	const db = await getDatabase();
	const sheet = (await isDemoDatabase(db)) ? await buildDemoCardSheet(db) : null;
	if (!sheet) error(404, '演示卡片只在演示模式下提供');
	setHeaders({ 'cache-control': 'no-store' });
	return {
		communityName: sheet.communityName,
		cardsPerPage: CARDS_PER_PAGE,
		counts: {
			cards: sheet.cards.length,
			staffCards: sheet.staffCards.length,
			testCards: sheet.testCards.length
		},
		// Each printed A4 page is one group: the page count is exactly what the sheet says.
		cardPages: chunked(sheet.cards, CARDS_PER_PAGE),
		staffPages: chunked(sheet.staffCards, CARDS_PER_PAGE),
		testPages: chunked(sheet.testCards, CARDS_PER_PAGE)
	};
};
