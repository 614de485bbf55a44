/**
 * A household's address as the office writes it, and the one label that names it everywhere
 * (lists, kiosks, the import's matching): building + unit + room, e.g. 3栋 + 2单元 + 501 →
 * '3栋2单元501', or a free label where there is no building and room (e.g. '老年公寓').
 *
 * Clerks spell a building many ways; one building must have one label, or the same family would
 * be two households. So the usual spellings are normalised: '3', '3栋', '3号楼', '3幢', '3座',
 * '３号楼' (full width) → '3栋'; a lettered building 'A座', 'a' → 'A栋'. Units: '2', '2单元' →
 * '2单元'. Rooms: '501', '501室' → '501' (a letter before or after is kept: 'B101'). Anything
 * else is refused with a reason in Chinese rather than guessed.
 */

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface HouseholdAddress {
	/** '3栋', or the free label itself (so the building filter still lists it). */
	building: string;
	unit: string | null;
	room: string | null;
	/** Unique in a community: '3栋2单元501' or '老年公寓'. */
	label: string;
}

export interface HouseholdFields {
	building?: string | null;
	unit?: string | null;
	room?: string | null;
	/** A free label, for a household without building and room. */
	freeLabel?: string | null;
}

export const MAX_FREE_LABEL_LENGTH = 30;

export const HOUSEHOLD_REASONS = {
	building: '楼栋格式不认识（应写成 3栋、3号楼、3幢 或 3）',
	unit: '单元格式不认识（应写成 2单元 或 2）',
	room: '房号格式不认识（应写成 501 或 501室）',
	roomMissing: '有楼栋时请填写房号',
	buildingMissing: '填了单元或房号，也要填楼栋',
	nothing: '请填写楼栋和房号，或填写住户标签',
	both: '楼栋房号和住户标签只能填一种',
	labelTooLong: `住户标签最多 ${MAX_FREE_LABEL_LENGTH} 个字`,
	labelControl: '住户标签里有不可见的控制字符'
} as const;

const BUILDING = /^(\d{1,3}|[A-Z])(?:栋|号楼|幢|座|号|楼)?$/;
const UNIT = /^(\d{1,2})(?:单元)?$/;
const ROOM = /^([A-Z]?\d{1,5}[A-Z]?)(?:室|号|房)?$/;
/** A whole address typed into the label column: '3号楼2单元501室'. */
const COMPOSED = /^(\d{1,3}|[A-Z])(?:栋|号楼|幢|座)(?:(\d{1,2})单元)?([A-Z]?\d{1,5}[A-Z]?)(?:室)?$/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Full-width digits and letters to plain ones, spaces out, letters upper case. */
function plain(text: string | null | undefined): string {
	return (text ?? '').normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** '03' → '3'; a letter stays. */
function number(text: string): string {
	return /^\d+$/.test(text) ? String(Number(text)) : text;
}

export function normaliseBuilding(text: string): Checked<string> {
	const match = BUILDING.exec(plain(text));
	if (!match || match[1] === '0' || /^0+$/.test(match[1]!)) {
		return { ok: false, reason: HOUSEHOLD_REASONS.building };
	}
	return { ok: true, value: `${number(match[1]!)}栋` };
}

export function normaliseUnit(text: string): Checked<string> {
	const match = UNIT.exec(plain(text));
	if (!match || Number(match[1]) === 0) return { ok: false, reason: HOUSEHOLD_REASONS.unit };
	return { ok: true, value: `${Number(match[1])}单元` };
}

export function normaliseRoom(text: string): Checked<string> {
	const match = ROOM.exec(plain(text));
	if (!match) return { ok: false, reason: HOUSEHOLD_REASONS.room };
	return { ok: true, value: match[1]! };
}

export function householdLabel(building: string, unit: string | null, room: string): string {
	return `${building}${unit ?? ''}${room}`;
}

function composed(building: string, unit: string | null, room: string): HouseholdAddress {
	return { building, unit, room, label: householdLabel(building, unit, room) };
}

/** A free label: spaces collapsed; a whole address in it is read as one. */
function freeLabel(text: string): Checked<HouseholdAddress> {
	const label = text.normalize('NFC').trim().replace(/\s+/g, ' ');
	if (CONTROL.test(label)) return { ok: false, reason: HOUSEHOLD_REASONS.labelControl };
	if (Array.from(label).length > MAX_FREE_LABEL_LENGTH) {
		return { ok: false, reason: HOUSEHOLD_REASONS.labelTooLong };
	}
	const address = COMPOSED.exec(plain(label));
	if (address) {
		const unit = address[2] ? `${Number(address[2])}单元` : null;
		return { ok: true, value: composed(`${number(address[1]!)}栋`, unit, address[3]!) };
	}
	return { ok: true, value: { building: label, unit: null, room: null, label } };
}

/** The household the fields describe, normalised, or the first reason it cannot be one. */
export function composeHousehold(fields: HouseholdFields): Checked<HouseholdAddress> {
	const building = (fields.building ?? '').trim();
	const unit = (fields.unit ?? '').trim();
	const room = (fields.room ?? '').trim();
	const label = (fields.freeLabel ?? '').trim();

	if (!building && !unit && !room) {
		return label ? freeLabel(label) : { ok: false, reason: HOUSEHOLD_REASONS.nothing };
	}
	if (!building) return { ok: false, reason: HOUSEHOLD_REASONS.buildingMissing };
	const b = normaliseBuilding(building);
	if (!b.ok) return b;
	const u = unit ? normaliseUnit(unit) : ({ ok: true, value: null } as const);
	if (!u.ok) return u;
	if (!room) return { ok: false, reason: HOUSEHOLD_REASONS.roomMissing };
	const r = normaliseRoom(room);
	if (!r.ok) return r;
	const address = composed(b.value, u.value, r.value);
	if (label) {
		// The same address written twice (e.g. a sheet that fills both) is fine; two are not.
		const other = freeLabel(label);
		if (!other.ok || other.value.label !== address.label) {
			return { ok: false, reason: HOUSEHOLD_REASONS.both };
		}
	}
	return { ok: true, value: address };
}
