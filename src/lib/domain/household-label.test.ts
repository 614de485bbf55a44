import { describe, expect, it } from 'vitest';
import {
	composeHousehold,
	HOUSEHOLD_REASONS,
	normaliseBuilding,
	normaliseRoom,
	normaliseUnit
} from './household-label';

const label = (fields: Parameters<typeof composeHousehold>[0]) => {
	const result = composeHousehold(fields);
	return result.ok ? result.value.label : result.reason;
};

describe('household labels', () => {
	it('composes building, unit and room into one label', () => {
		expect(composeHousehold({ building: '3栋', unit: '2单元', room: '501' })).toEqual({
			ok: true,
			value: { building: '3栋', unit: '2单元', room: '501', label: '3栋2单元501' }
		});
		expect(label({ building: '5', room: '102' })).toBe('5栋102');
	});

	it.each(['3', '3栋', '3号楼', '3幢', '3座', '３号楼', ' 03 栋 ', '3号', '3楼'])(
		'reads the building %s as 3栋',
		(building) => {
			expect(normaliseBuilding(building)).toEqual({ ok: true, value: '3栋' });
		}
	);

	it('reads lettered buildings, units and rooms in their usual spellings', () => {
		expect(normaliseBuilding('a座')).toEqual({ ok: true, value: 'A栋' });
		expect(normaliseUnit('2')).toEqual({ ok: true, value: '2单元' });
		expect(normaliseUnit('02单元')).toEqual({ ok: true, value: '2单元' });
		expect(normaliseRoom('501室')).toEqual({ ok: true, value: '501' });
		expect(normaliseRoom('b101')).toEqual({ ok: true, value: 'B101' });
	});

	it.each(['三号楼', '3-2', '第3栋', '0', '1234', '东区3栋'])(
		'refuses the building %s with a reason in Chinese',
		(building) => {
			expect(normaliseBuilding(building)).toEqual({
				ok: false,
				reason: HOUSEHOLD_REASONS.building
			});
		}
	);

	it('refuses a unit or room it does not recognise', () => {
		expect(label({ building: '3', unit: '二单元', room: '501' })).toBe(HOUSEHOLD_REASONS.unit);
		expect(label({ building: '3', room: '5-501' })).toBe(HOUSEHOLD_REASONS.room);
	});

	it('takes a free label when there is no building and room', () => {
		expect(composeHousehold({ freeLabel: ' 老年  公寓 ' })).toEqual({
			ok: true,
			value: { building: '老年 公寓', unit: null, room: null, label: '老年 公寓' }
		});
	});

	it('reads a whole address written as a label like the same address in its columns', () => {
		expect(label({ freeLabel: '3号楼2单元501室' })).toBe('3栋2单元501');
		expect(label({ building: '3', unit: '2', room: '501', freeLabel: '3栋2单元501' })).toBe(
			'3栋2单元501'
		);
	});

	it('says what is missing or contradictory', () => {
		expect(label({})).toBe(HOUSEHOLD_REASONS.nothing);
		expect(label({ building: '3栋' })).toBe(HOUSEHOLD_REASONS.roomMissing);
		expect(label({ unit: '2', room: '501' })).toBe(HOUSEHOLD_REASONS.buildingMissing);
		expect(label({ building: '3', room: '501', freeLabel: '老年公寓' })).toBe(
			HOUSEHOLD_REASONS.both
		);
		expect(label({ freeLabel: '很'.repeat(31) })).toBe(HOUSEHOLD_REASONS.labelTooLong);
		expect(label({ freeLabel: '老年\u0007公寓' })).toBe(HOUSEHOLD_REASONS.labelControl);
	});
});
