import { randomUUID } from 'node:crypto';
import { fail } from '@sveltejs/kit';
import { businessDate } from '$lib/domain/business-date';
import { dataDirectory, getDatabase } from '$lib/server/db/connection';
import { residentForCard } from '$lib/server/office/card-scan';
import { requireOfficePage } from '$lib/server/office/guard';
import { describeBatch, pendingPoints, recordPoints } from '$lib/server/office/point-records';
import { listRules } from '$lib/server/office/point-rules';
import { reviewPointsSetting } from '$lib/server/office/point-review';
import { searchResidents } from '$lib/server/office/resident-search';
import { formFileBytes, storeImage } from '$lib/server/uploads/images';
import type { Actions, PageServerLoad } from './$types';

/** How many residents one search shows: enough for a floor of a building on a phone. */
const SEARCH_PAGE = 30;

export const load: PageServerLoad = async ({ cookies, url }) => {
	const account = await requireOfficePage(cookies, 'points');
	const db = await getDatabase();
	const community = await db
		.selectFrom('communities')
		.select('time_zone')
		.where('id', '=', account.community_id)
		.executeTakeFirstOrThrow();
	const query = (url.searchParams.get('q') ?? '').slice(0, 50);
	const found = await searchResidents(db, account.community_id, { query, limit: SEARCH_PAGE });
	const review = await reviewPointsSetting(db, account.community_id);
	const pending = await pendingPoints(
		db,
		found.rows.map((row) => row.id)
	);
	return {
		rules: (await listRules(db, account.community_id)).filter((rule) => rule.active),
		today: businessDate(new Date(), community.time_zone),
		// A new key for every form shown: the same form sent twice records once.
		batchKey: randomUUID(),
		query,
		found: {
			total: found.total,
			rows: found.rows.map((row) => ({
				id: row.id,
				name: row.name,
				household: row.household,
				// Recorded but not yet approved: shown, never spendable.
				pending: pending.get(row.id) ?? 0
			}))
		},
		needsReview: review && account.role !== 'admin'
	};
};

const text = (value: FormDataEntryValue | null) => (typeof value === 'string' ? value : '');

export const actions: Actions = {
	record: async ({ cookies, request }) => {
		const account = await requireOfficePage(cookies, 'points');
		const form = await request.formData();
		let photo: string | null = null;
		const bytes = await formFileBytes(form.get('photo'));
		if (bytes) {
			const stored = await storeImage(dataDirectory(), 'evidence', bytes);
			if (!stored.ok) return fail(400, { message: stored.message, refused: [] });
			photo = stored.name;
		}
		const outcome = await recordPoints(await getDatabase(), account, {
			ruleId: Number(text(form.get('ruleId'))) || 0,
			occurredOn: text(form.get('occurredOn')),
			residentIds: form.getAll('residentId').map((id) => Number(text(id)) || 0),
			note: text(form.get('note')),
			photo,
			batchKey: text(form.get('batchKey'))
		});
		if (!outcome.ok) return fail(400, { message: outcome.message, refused: outcome.refused });
		return {
			recorded: {
				summary: describeBatch(outcome),
				status: outcome.status,
				duplicate: outcome.duplicate
			}
		};
	},
	scan: async ({ cookies, request }) => {
		const account = await requireOfficePage(cookies, 'points');
		const scanned = text((await request.formData()).get('text')).slice(0, 200);
		const outcome = await residentForCard(await getDatabase(), account.community_id, scanned);
		if (!outcome.ok) return fail(400, { scanMessage: outcome.message });
		return { scanned: outcome.resident };
	}
};
