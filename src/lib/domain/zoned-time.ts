/**
 * Dates and times in Chinese on the community's wall clock (its `timeZone` from the community
 * snapshot or the server's community row), whatever zone the device or the server runs in. One
 * module for the display, the kiosk and the office.
 */
import { businessDate, DEFAULT_TIME_ZONE } from './business-date';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${timeZone}|${JSON.stringify(options)}`;
	let found = formatters.get(key);
	if (!found) {
		try {
			found = new Intl.DateTimeFormat('zh-CN', { timeZone, ...options });
		} catch {
			// An unknown zone name must not blank a screen; fall back to the project default.
			found = new Intl.DateTimeFormat('zh-CN', { timeZone: DEFAULT_TIME_ZONE, ...options });
		}
		formatters.set(key, found);
	}
	return found;
}

function parts(at: number, timeZone: string, options: Intl.DateTimeFormatOptions) {
	const all = formatter(timeZone, options).formatToParts(at);
	return (type: Intl.DateTimeFormatPartTypes) =>
		all.find((part) => part.type === type)?.value ?? '';
}

/** '09:30' */
export function clockText(at: number, timeZone: string): string {
	const part = parts(at, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
	return `${part('hour')}:${part('minute')}`;
}

/** '11月22日 星期日' */
export function dateText(at: number, timeZone: string): string {
	const part = parts(at, timeZone, { month: 'numeric', day: 'numeric', weekday: 'long' });
	return `${part('month')}月${part('day')}日 ${part('weekday')}`;
}

/** '11月22日' */
export function monthDayText(at: number, timeZone: string): string {
	const part = parts(at, timeZone, { month: 'numeric', day: 'numeric' });
	return `${part('month')}月${part('day')}日`;
}

/** '09:30' for a moment earlier the same day as `now`, '11月21日 09:30' for one on another day. */
export function recentTimeText(at: number, now: number, timeZone: string): string {
	const time = clockText(at, timeZone);
	const sameDay = businessDate(at, timeZone) === businessDate(now, timeZone);
	return sameDay ? time : `${monthDayText(at, timeZone)} ${time}`;
}

/** '内容更新于 11月22日 09:30', or a plain word when the display never reached the server. */
export function freshnessText(lastContactAt: string | null, timeZone: string): string {
	const at = lastContactAt === null ? Number.NaN : Date.parse(lastContactAt);
	if (!Number.isFinite(at)) return '尚未连上服务器';
	return `内容更新于 ${monthDayText(at, timeZone)} ${clockText(at, timeZone)}`;
}

/** '2026-11-22 18:05' */
export function dateTimeText(at: number, timeZone: string): string {
	const part = parts(at, timeZone, {
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	});
	return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** '2026/11/22 18:05:09', the office's long form; '—' for no time. */
export function officeDateTimeText(iso: string | null, timeZone: string): string {
	const at = iso === null ? Number.NaN : Date.parse(iso);
	if (!Number.isFinite(at)) return '—';
	return formatter(timeZone, {
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hourCycle: 'h23'
	}).format(at);
}
