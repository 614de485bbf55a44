import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
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
/** Up to this many matches, sorting them all is cheaper than walking households in order. */
const SORT_AT_MOST = 5_000;

/*
 * How it stays fast at 100,000 residents (bench/tasks/office-residents.task.js; p95 202 ms
 * before): residents are read through the covering index residents_search (migration
 * 0005_residents); households whose label holds the text are found first, as a list of ids (none
 * for most name searches); `instr` replaces LIKE '%…%' (no pattern to interpret per row). With a
 * text, the matches' ids come from one index scan (names, phones) and the matching households'
 * residents, which also gives the total; without, a count of the index. Up to 5,000 matches, the
 * page sorts just those; with more, it walks households in label order and stops after the page
 * (sorting every match cost 39 ms for everyone); only a page deep into sparse matches sorts all.
 */
export async function searchResidents(
	db: Kysely<Database>,
	communityId: number,
	search: ResidentSearch = {}
): Promise<ResidentPage> {
	// % and _ were LIKE's wildcards; nobody searches for them.
	const text = (search.query ?? '').trim().replace(/[%_]/g, '');
	const limit = search.limit ?? 20;
	const offset = search.offset ?? 0;
	const households = db
		.selectFrom('households')
		.select('households.id')
		.where('households.community_id', '=', communityId);
	// Households whose label holds the text, found first: most searches are for a name and match
	// no label, and then the residents' scan has one condition less (16 → 6 ms at 100,000).
	const labelled = text
		? households.where((hb) =>
				hb(hb.fn('instr', ['households.label', hb.val(text.toUpperCase())]), '>', 0)
			)
		: null;
	const labelMatches = labelled ? await labelled.limit(SORT_AT_MOST + 1).execute() : [];
	type Condition = (eb: ExpressionBuilder<Database, 'residents'>) => Expression<SqlBool>;
	const base: Condition = (eb) => {
		const conditions = [eb('residents.community_id', '=', communityId)];
		if (!search.includeMovedOut) conditions.push(eb('residents.active', '=', 1));
		if (search.building) {
			conditions.push(
				eb(
					'residents.household_id',
					'in',
					households.where('households.building', '=', search.building)
				)
			);
		}
		return eb.and(conditions);
	};
	// What the text may match: a name or a phone's last digits (one scan of the index), or a
	// household's label (that household's residents, through their index).
	const textConditions: Condition[] = [];
	if (text) {
		const phoneTail = PHONE_TAIL.test(text);
		textConditions.push((eb) =>
			eb.or([
				eb(eb.fn('instr', ['residents.name', eb.val(text)]), '>', 0),
				...(phoneTail ? [eb(eb.fn('substr', ['residents.phone', eb.val(-4)]), '=', text)] : [])
			])
		);
		// Labels keep building letters upper case (domain/household-label.ts).
		if (labelMatches.length > SORT_AT_MOST) {
			textConditions.push((eb) => eb('residents.household_id', 'in', labelled!));
		} else if (labelMatches.length > 0) {
			const ids = labelMatches.map((household) => household.id);
			textConditions.push((eb) => eb('residents.household_id', 'in', ids));
		}
	}
	const filter: Condition = (eb) =>
		textConditions.length === 0
			? base(eb)
			: eb.and([base(eb), eb.or(textConditions.map((condition) => condition(eb)))]);

	// With a text, every match's id is found, one condition at a time (so the total needs no
	// count): a scan of names and phones, and the residents of matching households through their
	// index (one scan with OR cost 23 ms of CPU for a room; apart, about 8). Without, a count
	// (index only) is all it takes.
	const matchIds = new Set<number>();
	for (const condition of textConditions) {
		const found = await db
			.selectFrom('residents')
			.where(base)
			.where(condition)
			.select('residents.id')
			.execute();
		for (const row of found) matchIds.add(row.id);
	}
	const matches = textConditions.length > 0 ? [...matchIds] : null;
	const total =
		matches?.length ??
		Number(
			(
				await db
					.selectFrom('residents')
					.where(base)
					.select(({ fn }) => fn.countAll<number>().as('total'))
					.executeTakeFirst()
			)?.total ?? 0
		);
	const few = total <= SORT_AT_MOST;
	if (total === 0 || offset >= total) return { total, rows: [] };

	const columns = [
		'residents.id',
		'residents.name',
		'residents.phone',
		'residents.active',
		'residents.household_id as householdId',
		'households.label as household',
		'households.building'
	] as const;
	const sorted = db
		.selectFrom('residents')
		.innerJoin('households', 'households.id', 'residents.household_id')
		.select(columns);
	// Walking visits about (offset + limit) × residents / total rows: keep that small.
	const walk = !few && (offset + limit) * 20 < total;
	const page = few
		? matches
			? sorted.where('residents.id', 'in', matches)
			: sorted.where(filter)
		: walk
			? // CROSS JOIN makes SQLite loop over households (in label order) outside.
				db
					.selectFrom('households')
					.crossJoin('residents')
					.whereRef('residents.household_id', '=', 'households.id')
					.where('households.community_id', '=', communityId)
					.where(filter)
					.select(columns)
			: sorted.where(filter);
	const rows = await page
		.orderBy('households.label')
		.orderBy('residents.id')
		.limit(limit)
		.offset(offset)
		.execute();
	const balances = await residentBalances(
		db,
		rows.map((row) => row.id)
	);
	return {
		total,
		rows: rows.map((row) => ({
			...row,
			active: row.active === 1,
			balance: balances.get(row.id) ?? 0
		}))
	};
}
