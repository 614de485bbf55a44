import { businessDate } from './business-date';

/*
 * The business day of a shop event. Normally the calendar date in the community's time zone;
 * but once the shopkeeper closed day D on this kiosk, everything after belongs to D + 1 (a
 * redemption at 19:00 after the 18:00 closing is tomorrow's), so a closed report never changes.
 */

/** The ISO date after `date` (YYYY-MM-DD), by the calendar. */
export function nextDate(date: string): string {
	const next = new Date(`${date}T00:00:00Z`);
	next.setUTCDate(next.getUTCDate() + 1);
	return next.toISOString().slice(0, 10);
}

export function shopBusinessDate(
	at: Date | number,
	timeZone: string,
	lastClosedDate: string | null | undefined
): string {
	const calendar = businessDate(at, timeZone);
	if (!lastClosedDate || lastClosedDate < calendar) return calendar;
	return nextDate(lastClosedDate);
}

/** True when today's calendar day (in the community's zone) is already closed on this kiosk. */
export function isTodayClosed(
	at: Date | number,
	timeZone: string,
	lastClosedDate: string | null | undefined
): boolean {
	return !!lastClosedDate && lastClosedDate >= businessDate(at, timeZone);
}
