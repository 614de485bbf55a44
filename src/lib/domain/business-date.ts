/** The business day of a moment: the calendar date in the community's time zone, YYYY-MM-DD. */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

// Building a DateTimeFormat is slow compared with using one; the kiosk asks on every redemption.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		try {
			formatter = new Intl.DateTimeFormat('en-CA', {
				timeZone,
				year: 'numeric',
				month: '2-digit',
				day: '2-digit'
			});
		} catch {
			// An unknown zone name must not stop the counter; fall back to the project default.
			formatter = formatterFor(DEFAULT_TIME_ZONE);
		}
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

export function businessDate(at: Date | number, timeZone: string = DEFAULT_TIME_ZONE): string {
	const parts = formatterFor(timeZone).formatToParts(at);
	const part = (type: Intl.DateTimeFormatPartTypes) =>
		parts.find((p) => p.type === type)?.value ?? '';
	return `${part('year')}-${part('month')}-${part('day')}`;
}
