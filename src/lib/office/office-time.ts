import { DEFAULT_TIME_ZONE } from '$lib/domain/business-date';
import { officeDateTimeText } from '$lib/domain/zoned-time';

/** A time for office pages: Chinese date and 24-hour time in the community's zone; '—' if none. */
export function officeTime(iso: string | null, timeZone: string = DEFAULT_TIME_ZONE): string {
	return officeDateTimeText(iso, timeZone);
}
