import type { DeviceEvent } from '$lib/protocol/events';

/*
 * What is merely odd about a valid event: it is applied (the goods have left the shop), and the
 * oddity is kept beside it in received_events for the office to review. What cannot be true
 * (2026-02-31, the year 9999, a deviceSeq used twice) is refused earlier, by the schema and push.
 */

/** A device clock this far ahead of the server's is odd (the kiosk is warned past 5 minutes). */
const AHEAD_LIMIT_MS = 10 * 60_000;
/** Kiosks work offline for days; an event older than this when it arrives is odd. */
const LATE_LIMIT_MS = 90 * 24 * 3600_000;
/** The business day is the device's day in the community's zone; more than a day off is odd. */
const BUSINESS_DAY_LIMIT_DAYS = 1;

const DAY_MS = 24 * 3600_000;

/** A short Chinese note of what is odd about the event, or null when nothing is. */
export function eventOddity(event: DeviceEvent, now: Date): string | null {
	const occurredAt = Date.parse(event.occurredAt);
	const notes: string[] = [];
	if (occurredAt - now.getTime() > AHEAD_LIMIT_MS) {
		notes.push(`设备时间比服务器快 ${Math.round((occurredAt - now.getTime()) / 60_000)} 分钟`);
	}
	if (now.getTime() - occurredAt > LATE_LIMIT_MS) {
		notes.push(`事件发生在 ${Math.floor((now.getTime() - occurredAt) / DAY_MS)} 天前才送到`);
	}
	const businessDay = Date.parse(`${event.payload.businessDate}T00:00:00Z`);
	const eventDay = Date.parse(`${event.occurredAt.slice(0, 10)}T00:00:00Z`);
	const daysApart = Math.abs(businessDay - eventDay) / DAY_MS;
	if (daysApart > BUSINESS_DAY_LIMIT_DAYS) {
		notes.push(`营业日 ${event.payload.businessDate} 与事件时间相差 ${daysApart} 天`);
	}
	return notes.length > 0 ? notes.join('；') : null;
}
