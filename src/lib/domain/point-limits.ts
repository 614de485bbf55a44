/**
 * Rules about when points may be recorded, as pure date arithmetic on YYYY-MM-DD days (the day of
 * the act in the community's time zone): a rule's limit per resident per day, week (Monday to
 * Sunday, as Chinese calendars count it) or month, and how far back an act may be recorded.
 */

export const LIMIT_PERIODS = ['day', 'week', 'month'] as const;
export type LimitPeriod = (typeof LIMIT_PERIODS)[number];

export const LIMIT_PERIOD_NAMES: Record<LimitPeriod, string> = {
	day: '每天',
	week: '每周',
	month: '每月'
};

/** '每周最多 1 次', or '' without a limit. */
export function describeLimit(period: LimitPeriod | null, count: number | null): string {
	return period && count ? `${LIMIT_PERIOD_NAMES[period]}最多 ${count} 次` : '';
}

/** An act older than this many days is too old to record (a typo in the year, most often). */
export const MAX_RECORD_AGE_DAYS = 90;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** The day as a UTC midnight timestamp, or null when the text is not a real calendar day. */
function dayNumber(day: string): number | null {
	const match = DAY.exec(day);
	if (!match) return null;
	const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const time = Date.UTC(year, month - 1, date);
	const check = new Date(time);
	if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return null;
	return time;
}

const dayText = (time: number) => new Date(time).toISOString().slice(0, 10);

export function isCalendarDay(day: string): boolean {
	return dayNumber(day) !== null;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
	const a = dayNumber(from);
	const b = dayNumber(to);
	if (a === null || b === null) throw new RangeError('not a calendar day');
	return Math.round((b - a) / DAY_MS);
}

/** The first and last day of the period that holds `day`. */
export function limitPeriodRange(
	period: LimitPeriod,
	day: string
): { first: string; last: string } {
	const time = dayNumber(day);
	if (time === null) throw new RangeError('not a calendar day');
	if (period === 'day') return { first: day, last: day };
	if (period === 'week') {
		const mondayBased = (new Date(time).getUTCDay() + 6) % 7;
		const first = time - mondayBased * DAY_MS;
		return { first: dayText(first), last: dayText(first + 6 * DAY_MS) };
	}
	const date = new Date(time);
	const first = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
	const last = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0);
	return { first: dayText(first), last: dayText(last) };
}

export type OccurredOnProblem = 'not_a_day' | 'in_the_future' | 'too_old';

/** Whether an act on `day` may be recorded `today`; null when it may. */
export function occurredOnProblem(day: string, today: string): OccurredOnProblem | null {
	if (!isCalendarDay(day)) return 'not_a_day';
	const age = daysBetween(day, today);
	if (age < 0) return 'in_the_future';
	if (age > MAX_RECORD_AGE_DAYS) return 'too_old';
	return null;
}

/** '12月6日' for a YYYY-MM-DD day, as the confirmation and the lists say it. */
export function shortChineseDay(day: string): string {
	const match = DAY.exec(day);
	if (!match) return day;
	return `${Number(match[2])}月${Number(match[3])}日`;
}
