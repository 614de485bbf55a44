import { officeDateTimeText } from '$lib/domain/zoned-time';

/**
 * A time for office pages: Chinese date and 24-hour time on the community's clock (the
 * `(office)` layout's `timeZone`, from the community's row); '—' if none.
 */
export function officeTime(iso: string | null, timeZone: string): string {
	return officeDateTimeText(iso, timeZone);
}
