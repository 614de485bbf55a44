import * as v from 'valibot';

/*
 * Dates and times a device may send. valibot's isoDate and isoTimestamp check the spelling only:
 * they accept 2026-02-31 and the years 0000 and 9999. A day that is not on the calendar, or a
 * time no kiosk clock can show, cannot be true and is refused; a time that is merely far from
 * the server's clock is the server's to flag (sync/event-oddities.ts), not the schema's to refuse.
 */

/** The first and last years an event may carry: no shop counted points before 2000 or after 2099. */
export const EARLIEST_YEAR = 2000;
export const LATEST_YEAR = 2099;

/** True when `text` (YYYY-MM-DD) names a day that exists, within the years above. */
export function isCalendarDay(text: string): boolean {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	if (year < EARLIEST_YEAR || year > LATEST_YEAR) return false;
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A business day: YYYY-MM-DD that is on the calendar. */
export const BusinessDateSchema = v.pipe(
	v.string(),
	v.isoDate(),
	v.check(isCalendarDay, 'the date is not on the calendar (or outside 2000–2099)')
);

/** An ISO 8601 time whose day is on the calendar and whose year is within the years above. */
export const IsoTimeSchema = v.pipe(
	v.string(),
	v.isoTimestamp(),
	v.check(
		(text) => isCalendarDay(text.slice(0, 10)) && Number.isFinite(Date.parse(text)),
		'the time is not on the calendar (or outside 2000–2099)'
	)
);
