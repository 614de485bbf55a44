import type { Kysely } from 'kysely';
import { residentCsv, type ResidentCsvLine } from '$lib/domain/resident-csv';
import type { Database } from '../db/schema';
import { issueCardsForBuilding, reportCardLost } from '../office/cards';
import { importResidentsWithoutPreview } from '../office/resident-import';
import type { OfficeActor } from '../office/residents';
import { expectOk } from './demo-outcome';
import { pickGivenName, pickSurname, type Sex } from './names';
import type { SeededRandom } from './prng';

/*
 * The demo's households and residents, entered as the office does it: one spreadsheet through
 * the residents' import, then a card for everyone, building by building, and two lost cards.
 */

export interface DemoHousehold {
	building: string;
	unit: string | null;
	room: string;
}

export interface PlannedResident {
	householdIndex: number;
	name: string;
}

/** `count` households over 6 buildings, in address order (3栋2单元501). */
export function planHouseholds(random: SeededRandom, count: number): DemoHousehold[] {
	const flats: Array<DemoHousehold & { order: number }> = [];
	for (let building = 1; building <= 6; building++) {
		for (let unit = 1; unit <= 2; unit++) {
			for (let floor = 1; floor <= 6; floor++) {
				for (let room = 1; room <= 2; room++) {
					flats.push({
						building: `${building}栋`,
						unit: `${unit}单元`,
						room: `${floor}0${room}`,
						order: ((building * 10 + unit) * 10 + floor) * 10 + room
					});
				}
			}
		}
	}
	return random
		.shuffle(flats)
		.slice(0, count)
		.sort((a, b) => a.order - b.order)
		.map(({ building, unit, room }) => ({ building, unit, room }));
}

/** Families: a surname per household, a spouse with their own, children with the family's. */
export function planResidents(
	random: SeededRandom,
	households: number,
	residents: number
): PlannedResident[] {
	const sizes = new Array<number>(households).fill(1);
	for (let extra = residents - households; extra > 0;) {
		const index = random.int(0, households - 1);
		if (sizes[index]! < 5) {
			sizes[index]! += 1;
			extra -= 1;
		}
	}
	const planned: PlannedResident[] = [];
	sizes.forEach((size, householdIndex) => {
		const familyName = pickSurname(random);
		const headSex: Sex = random.chance(0.5) ? 'male' : 'female';
		const names = new Set<string>();
		for (let member = 0; member < size; member++) {
			const sex: Sex =
				member === 1
					? headSex === 'male'
						? 'female'
						: 'male'
					: random.chance(0.5)
						? 'male'
						: 'female';
			const surname = member === 1 ? pickSurname(random) : familyName;
			let name = surname + pickGivenName(random, sex);
			// Two of one name in one household are one person to the import: name the other anew.
			while (names.has(name)) name = surname + pickGivenName(random, sex);
			names.add(name);
			planned.push({ householdIndex, name });
		}
	});
	return planned;
}

/** The spreadsheet a community office would bring: one row per resident, households by address. */
export function demoResidentSheet(
	households: readonly DemoHousehold[],
	planned: readonly PlannedResident[]
): Uint8Array {
	const lines: ResidentCsvLine[] = planned.map((resident) => {
		const { building, unit, room } = households[resident.householdIndex]!;
		return {
			household: { building, unit, room, label: `${building}${unit ?? ''}${room}` },
			name: resident.name,
			phone: null
		};
	});
	return new TextEncoder().encode(residentCsv(lines));
}

/**
 * Imports the residents through the office's import and answers their ids in the sheet's order.
 * Everything must be new: a refused row would be a bug in the plan above.
 */
export async function importDemoResidents(
	db: Kysely<Database>,
	actor: OfficeActor,
	households: readonly DemoHousehold[],
	planned: readonly PlannedResident[],
	now: Date
): Promise<number[]> {
	const imported = expectOk(
		await importResidentsWithoutPreview(
			db,
			actor,
			'居民名单.csv',
			demoResidentSheet(households, planned),
			now
		),
		'import the demo residents'
	);
	if (imported.added !== planned.length || imported.refused > 0) {
		throw new Error(`the demo import added ${imported.added} of ${planned.length} residents`);
	}
	const rows = await db
		.selectFrom('residents')
		.select('id')
		.where('community_id', '=', actor.communityId)
		.orderBy('id')
		.execute();
	return rows.map((row) => row.id);
}

/** 为没有卡的居民发卡, once per building, as the office does after an import. */
export async function issueDemoCards(
	db: Kysely<Database>,
	actor: OfficeActor,
	households: readonly DemoHousehold[],
	now: Date
): Promise<void> {
	for (const building of new Set(households.map((household) => household.building))) {
		expectOk(
			await issueCardsForBuilding(db, actor, building, now),
			`issue the cards of ${building}`
		);
	}
}

async function firstCardOf(db: Kysely<Database>, residentId: number): Promise<number> {
	const card = await db
		.selectFrom('cards')
		.select('id')
		.where('kind', '=', 'resident')
		.where('resident_id', '=', residentId)
		.where('serial', '=', 1)
		.executeTakeFirstOrThrow();
	return card.id;
}

/**
 * Two lost cards: one resident got a new card (serial 2) at once; the other reported the loss
 * and has not come for a new card yet, so a kiosk must refuse the only card they have.
 */
export async function reportDemoLostCards(
	db: Kysely<Database>,
	actor: OfficeActor,
	residents: { reissued: number; revoked: number },
	lostAt: Date
): Promise<void> {
	expectOk(
		await reportCardLost(
			db,
			actor,
			{ cardId: await firstCardOf(db, residents.reissued), reason: '居民在菜市场遗失' },
			lostAt
		),
		'report the reissued card lost'
	);
	expectOk(
		await reportCardLost(
			db,
			actor,
			{
				cardId: await firstCardOf(db, residents.revoked),
				reason: '居民遗失，暂不补卡',
				replace: false
			},
			lostAt
		),
		'report the revoked card lost'
	);
}
