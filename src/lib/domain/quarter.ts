import { businessDate, DEFAULT_TIME_ZONE } from './business-date';

/**
 * The quarter a moment falls in, in the community's time zone, like '2026-Q4'. The board of a
 * quarter turns over at local midnight on 1 January, April, July and October, not at UTC's.
 */
export function quarterOf(at: Date | number, timeZone: string = DEFAULT_TIME_ZONE): string {
	const [year, month] = businessDate(at, timeZone).split('-');
	return `${year}-Q${Math.ceil(Number(month) / 3)}`;
}
