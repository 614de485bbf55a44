import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { cardPrintUrl } from '$lib/office/card-print-url';
import { getDatabase } from '$lib/server/db/connection';
import {
	issueCardsForBuilding,
	issueResidentCard,
	listBuildings,
	listResidentCards,
	LOST_REASON_MAX_LENGTH,
	recordCardReprint,
	reportCardLost,
	residentForCard
} from '$lib/server/office/cards';
import { requireOfficePage } from '$lib/server/office/guard';
import { searchResidents } from '$lib/server/office/resident-search';
import type { Actions, PageServerLoad } from './$types';

const Id = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));

function idFrom(form: FormData, name: string): number | null {
	const parsed = v.safeParse(Id, form.get(name));
	return parsed.success ? parsed.output : null;
}

export const load: PageServerLoad = async ({ cookies, url }) => {
	const account = await requireOfficePage(cookies, 'cards');
	const db = await getDatabase();
	const query = (url.searchParams.get('q') ?? '').trim().slice(0, 40);
	const residentParam = v.safeParse(Id, url.searchParams.get('resident'));
	const residentId = residentParam.success ? residentParam.output : null;

	const found = query
		? await searchResidents(db, account.community_id, { query, includeMovedOut: true, limit: 20 })
		: null;
	let selected = null;
	if (residentId !== null) {
		const resident = await residentForCard(db, account.community_id, residentId);
		if (resident) {
			selected = {
				id: resident.id,
				name: resident.name,
				household: resident.household,
				active: resident.active === 1,
				cards: await listResidentCards(db, account.community_id, resident.id)
			};
		}
	}
	return {
		query,
		results: found?.rows.map(({ id, name, household, active }) => ({
			id,
			name,
			household,
			active
		})),
		total: found?.total ?? 0,
		residentId,
		selected,
		buildings: await listBuildings(db, account.community_id),
		reasonMaxLength: LOST_REASON_MAX_LENGTH
	};
};

export const actions: Actions = {
	issue: async ({ cookies, request }) => {
		const account = await requireOfficePage(cookies, 'cards');
		const residentId = idFrom(await request.formData(), 'residentId');
		if (residentId === null) return fail(400, { message: '请先选择一位居民' });
		const actor = { communityId: account.community_id, accountId: account.id };
		const issued = await issueResidentCard(await getDatabase(), actor, residentId);
		if (!issued.ok) return fail(400, { message: issued.message });
		return { issued: { cardId: issued.cardId, serial: issued.serial } };
	},
	reprint: async ({ cookies, request }) => {
		const account = await requireOfficePage(cookies, 'cards');
		const cardId = idFrom(await request.formData(), 'cardId');
		if (cardId === null) return fail(400, { message: '没有找到这张卡' });
		const actor = { communityId: account.community_id, accountId: account.id };
		const reprint = await recordCardReprint(await getDatabase(), actor, cardId);
		if (!reprint.ok) return fail(400, { message: reprint.message });
		redirect(303, cardPrintUrl([cardId]));
	},
	lost: async ({ cookies, request }) => {
		const account = await requireOfficePage(cookies, 'cards');
		const form = await request.formData();
		const cardId = idFrom(form, 'cardId');
		if (cardId === null) return fail(400, { message: '没有找到这张卡' });
		if (form.get('confirm') !== 'yes') {
			return fail(400, { message: '请勾选确认：挂失后这张卡在所有柜台终端上作废' });
		}
		const actor = { communityId: account.community_id, accountId: account.id };
		const lost = await reportCardLost(await getDatabase(), actor, {
			cardId,
			reason: String(form.get('reason') ?? '')
		});
		if (!lost.ok) return fail(400, { message: lost.message });
		return { replaced: lost.replacement };
	},
	bulk: async ({ cookies, request }) => {
		const account = await requireOfficePage(cookies, 'cards');
		const building = String((await request.formData()).get('building') ?? '').slice(0, 40);
		const actor = { communityId: account.community_id, accountId: account.id };
		const bulk = await issueCardsForBuilding(await getDatabase(), actor, building);
		if (!bulk.ok) return fail(400, { message: bulk.message });
		redirect(303, cardPrintUrl(bulk.cardIds));
	}
};
