import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { getDatabase } from '$lib/server/db/connection';
import { CARDS_PER_SHEET, MAX_PRINT_CARDS, printableCards } from '$lib/server/office/card-print';
import { requireOfficePage } from '$lib/server/office/guard';
import type { PageServerLoad } from './$types';

const IdsSchema = v.pipe(
	v.string(),
	v.regex(/^\d{1,9}(,\d{1,9})*$/),
	v.transform((text) => text.split(',').map(Number)),
	v.maxLength(MAX_PRINT_CARDS)
);

export const load: PageServerLoad = async ({ cookies, url, setHeaders }) => {
	const account = await requireOfficePage(cookies, 'cards');
	const ids = v.safeParse(IdsSchema, url.searchParams.get('ids') ?? '');
	if (!ids.success) error(400, '打印页的地址不完整，请从积分卡页面重新打开');
	// The page holds signed card credentials: never keep it in a cache.
	setHeaders({ 'cache-control': 'no-store' });
	const sheet = await printableCards(await getDatabase(), account.community_id, ids.output);
	return { ...sheet, asked: ids.output.length, cardsPerSheet: CARDS_PER_SHEET };
};
