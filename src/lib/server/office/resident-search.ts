import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { residentBalances } from '../ledger/balances';

/*
 * Finding a resident in the office, by what a clerk or a 网格员 knows: part of the name, the
 * building or room ("3栋", "2单元501"), or the last four digits of the phone.
 */

export interface ResidentSearch {
	/** Free text; empty lists everyone. */
	query?: string;
	/** Only residents still living here (default), or also those who moved out. */
	includeMovedOut?: boolean;
	/** Only this building, e.g. '3栋'. */
	building?: string;
	offset?: number;
	limit?: number;
}

export interface ResidentListRow {
	id: number;
	name: string;
	phone: string | null;
	active: boolean;
	householdId: number;
	household: string;
	building: string;
	balance: number;
}

export interface ResidentPage {
	rows: ResidentListRow[];
	/** How many match in all (for the pager). */
	total: number;
}

const PHONE_TAIL = /^\d{4}$/;

export async function searchResidents(
	db: Kysely<Database>,
	communityId: number,
	search: ResidentSearch = {}
): Promise<ResidentPage> {
	const text = (search.query ?? '').trim();
	let query = db
		.selectFrom('residents')
		.innerJoin('households', 'households.id', 'residents.household_id')
		.where('residents.community_id', '=', communityId);
	if (!search.includeMovedOut) query = query.where('residents.active', '=', 1);
	if (search.building) query = query.where('households.building', '=', search.building);
	if (text) {
		// % and _ are LIKE's wildcards; nobody searches for them.
		const like = `%${text.replace(/[%_]/g, '')}%`;
		query = query.where((eb) =>
			eb.or([
				eb('residents.name', 'like', like),
				eb('households.label', 'like', like),
				...(PHONE_TAIL.test(text) ? [eb('residents.phone', 'like', `%${text}`)] : [])
			])
		);
	}
	const counted = await query
		.select(({ fn }) => fn.countAll<number>().as('total'))
		.executeTakeFirst();
	const rows = await query
		.select([
			'residents.id',
			'residents.name',
			'residents.phone',
			'residents.active',
			'residents.household_id as householdId',
			'households.label as household',
			'households.building'
		])
		.orderBy('households.label')
		.orderBy('residents.id')
		.limit(search.limit ?? 20)
		.offset(search.offset ?? 0)
		.execute();
	const balances = await residentBalances(
		db,
		rows.map((row) => row.id)
	);
	return {
		total: Number(counted?.total ?? 0),
		rows: rows.map((row) => ({
			...row,
			active: row.active === 1,
			balance: balances.get(row.id) ?? 0
		}))
	};
}
