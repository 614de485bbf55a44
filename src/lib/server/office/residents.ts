import type { Kysely } from 'kysely';
import {
	composeHousehold,
	type HouseholdAddress,
	type HouseholdFields
} from '$lib/domain/household-label';
import { normaliseName, normalisePhone } from '$lib/domain/resident-fields';
import type { Database } from '../db/schema';
import { recordResidentChanges } from '../sync/change-feed';
import { recordAudit } from './audit';

/*
 * Households and residents, as the office enters them one at a time. Every change writes its
 * audit row and puts the residents it touched on the change feed in the same transaction, so a
 * kiosk learns of a new, changed or moved-out resident on its next pull. Moving out keeps
 * everything (ledger, cards, point records): the resident is only marked, and their cards stop
 * working on kiosks.
 */

/** Who acts: an office account of one community. */
export interface OfficeActor {
	communityId: number;
	accountId: number;
}

export type OfficeResult<T = { id: number }> = ({ ok: true } & T) | { ok: false; message: string };

export interface ResidentFields extends HouseholdFields {
	name: string;
	phone?: string | null;
}

const NOT_FOUND = '没有找到这位居民';

function summaryOf(name: string, label: string): string {
	return `${name}（${label}）`;
}

/** The household with this address, created if the community has none yet. */
async function householdFor(
	trx: Kysely<Database>,
	actor: OfficeActor,
	address: HouseholdAddress,
	now: Date
): Promise<number> {
	const found = await trx
		.selectFrom('households')
		.select('id')
		.where('community_id', '=', actor.communityId)
		.where('label', '=', address.label)
		.executeTakeFirst();
	if (found) return found.id;
	const created = await trx
		.insertInto('households')
		.values({ community_id: actor.communityId, ...address })
		.returning('id')
		.executeTakeFirstOrThrow();
	await recordAudit(
		trx,
		{
			communityId: actor.communityId,
			accountId: actor.accountId,
			action: 'household.create',
			subject: `household:${created.id}`,
			summary: `新增住户 ${address.label}`,
			details: address
		},
		now
	);
	return created.id;
}

/** Another living resident of the household with the same name makes two people one. */
async function hasNamesake(
	trx: Kysely<Database>,
	householdId: number,
	name: string,
	exceptId: number | null
): Promise<boolean> {
	let query = trx
		.selectFrom('residents')
		.select('id')
		.where('household_id', '=', householdId)
		.where('name', '=', name)
		.where('active', '=', 1);
	if (exceptId !== null) query = query.where('id', '!=', exceptId);
	return (await query.executeTakeFirst()) !== undefined;
}

function checkFields(
	fields: ResidentFields
):
	| { ok: true; address: HouseholdAddress; name: string; phone: string | null }
	| { ok: false; message: string } {
	const name = normaliseName(fields.name);
	if (!name.ok) return { ok: false, message: name.reason };
	const address = composeHousehold(fields);
	if (!address.ok) return { ok: false, message: address.reason };
	const phone = normalisePhone(fields.phone);
	if (!phone.ok) return { ok: false, message: phone.reason };
	return { ok: true, address: address.value, name: name.value, phone: phone.value };
}

/** A new resident of the household at the given address (created if it is new). */
export async function createResident(
	db: Kysely<Database>,
	actor: OfficeActor,
	fields: ResidentFields,
	now: Date = new Date()
): Promise<OfficeResult> {
	const checked = checkFields(fields);
	if (!checked.ok) return checked;
	const { address, name, phone } = checked;
	return db.transaction().execute(async (trx): Promise<OfficeResult> => {
		const householdId = await householdFor(trx, actor, address, now);
		if (await hasNamesake(trx, householdId, name, null)) {
			return { ok: false, message: `${address.label} 已经有一位叫 ${name} 的居民` };
		}
		const { id } = await trx
			.insertInto('residents')
			.values({
				community_id: actor.communityId,
				household_id: householdId,
				name,
				phone,
				active: 1,
				created_at: now.toISOString(),
				updated_at: now.toISOString()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'resident.create',
				subject: `resident:${id}`,
				summary: `新增居民 ${summaryOf(name, address.label)}`,
				details: { name, phone, household: address.label }
			},
			now
		);
		await recordResidentChanges(trx, actor.communityId, [id], now);
		return { ok: true, id };
	});
}

/** A resident of the community with their household, moved out or not. */
export async function residentRow(trx: Kysely<Database>, communityId: number, residentId: number) {
	return trx
		.selectFrom('residents')
		.innerJoin('households', 'households.id', 'residents.household_id')
		.select([
			'residents.id',
			'residents.name',
			'residents.phone',
			'residents.active',
			'residents.household_id as householdId',
			'households.label as household',
			'households.building'
		])
		.where('residents.community_id', '=', communityId)
		.where('residents.id', '=', residentId)
		.executeTakeFirst();
}

/** New name, phone or address (moving within the community); nothing written when unchanged. */
export async function editResident(
	db: Kysely<Database>,
	actor: OfficeActor,
	residentId: number,
	fields: ResidentFields,
	now: Date = new Date()
): Promise<OfficeResult> {
	const checked = checkFields(fields);
	if (!checked.ok) return checked;
	const { address, name, phone } = checked;
	return db.transaction().execute(async (trx): Promise<OfficeResult> => {
		const before = await residentRow(trx, actor.communityId, residentId);
		if (!before) return { ok: false, message: NOT_FOUND };
		const householdId = await householdFor(trx, actor, address, now);
		if (before.active === 1 && (await hasNamesake(trx, householdId, name, residentId))) {
			return { ok: false, message: `${address.label} 已经有一位叫 ${name} 的居民` };
		}
		const changes: Record<string, [unknown, unknown]> = {};
		if (before.name !== name) changes.name = [before.name, name];
		if (before.phone !== phone) changes.phone = [before.phone, phone];
		if (before.householdId !== householdId) changes.household = [before.household, address.label];
		if (Object.keys(changes).length === 0) return { ok: true, id: residentId };
		await trx
			.updateTable('residents')
			.set({ name, phone, household_id: householdId, updated_at: now.toISOString() })
			.where('id', '=', residentId)
			.execute();
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'resident.edit',
				subject: `resident:${residentId}`,
				summary: `修改居民 ${summaryOf(name, address.label)}`,
				details: changes
			},
			now
		);
		await recordResidentChanges(trx, actor.communityId, [residentId], now);
		return { ok: true, id: residentId };
	});
}

/**
 * A household's own address (e.g. a room typed wrong), for all its members at once. Refused when
 * another household already has the new address: that would make two families one.
 */
export async function editHousehold(
	db: Kysely<Database>,
	actor: OfficeActor,
	householdId: number,
	fields: HouseholdFields,
	now: Date = new Date()
): Promise<OfficeResult> {
	const address = composeHousehold(fields);
	if (!address.ok) return { ok: false, message: address.reason };
	return db.transaction().execute(async (trx): Promise<OfficeResult> => {
		const before = await trx
			.selectFrom('households')
			.selectAll()
			.where('community_id', '=', actor.communityId)
			.where('id', '=', householdId)
			.executeTakeFirst();
		if (!before) return { ok: false, message: '没有找到这一户' };
		if (before.label === address.value.label) return { ok: true, id: householdId };
		const taken = await trx
			.selectFrom('households')
			.select('id')
			.where('community_id', '=', actor.communityId)
			.where('label', '=', address.value.label)
			.executeTakeFirst();
		if (taken) return { ok: false, message: `已经有 ${address.value.label} 这一户了` };
		await trx
			.updateTable('households')
			.set({ ...address.value })
			.where('id', '=', householdId)
			.execute();
		const members = await trx
			.selectFrom('residents')
			.select('id')
			.where('household_id', '=', householdId)
			.execute();
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: 'household.edit',
				subject: `household:${householdId}`,
				summary: `修改住址 ${before.label} → ${address.value.label}`,
				details: { before: before.label, after: address.value.label }
			},
			now
		);
		await recordResidentChanges(
			trx,
			actor.communityId,
			members.map((member) => member.id),
			now
		);
		return { ok: true, id: householdId };
	});
}

/**
 * Moving out (or back in): the resident stays with their whole history; a moved-out resident's
 * cards are refused on kiosks after their next pull, and the office cannot record points for them.
 */
export async function setResidentLivingHere(
	db: Kysely<Database>,
	actor: OfficeActor,
	residentId: number,
	livingHere: boolean,
	now: Date = new Date()
): Promise<OfficeResult> {
	return db.transaction().execute(async (trx): Promise<OfficeResult> => {
		const before = await residentRow(trx, actor.communityId, residentId);
		if (!before) return { ok: false, message: NOT_FOUND };
		if ((before.active === 1) === livingHere) {
			return { ok: false, message: livingHere ? '这位居民没有迁出' : '这位居民已经迁出了' };
		}
		if (livingHere && (await hasNamesake(trx, before.householdId, before.name, residentId))) {
			return { ok: false, message: `${before.household} 已经有一位叫 ${before.name} 的居民` };
		}
		await trx
			.updateTable('residents')
			.set({
				active: livingHere ? 1 : 0,
				moved_out_at: livingHere ? null : now.toISOString(),
				updated_at: now.toISOString()
			})
			.where('id', '=', residentId)
			.execute();
		await recordAudit(
			trx,
			{
				communityId: actor.communityId,
				accountId: actor.accountId,
				action: livingHere ? 'resident.moveIn' : 'resident.moveOut',
				subject: `resident:${residentId}`,
				summary: `${livingHere ? '迁回' : '迁出'} ${summaryOf(before.name, before.household)}`
			},
			now
		);
		await recordResidentChanges(trx, actor.communityId, [residentId], now);
		return { ok: true, id: residentId };
	});
}

/** The community's buildings, for the list's filter (flats' buildings and free labels). */
export async function listBuildings(db: Kysely<Database>, communityId: number): Promise<string[]> {
	const rows = await db
		.selectFrom('households')
		.select('building')
		.distinct()
		.where('community_id', '=', communityId)
		.execute();
	return rows
		.map((row) => row.building)
		.sort((a, b) => a.localeCompare(b, 'zh-CN', { numeric: true }));
}
