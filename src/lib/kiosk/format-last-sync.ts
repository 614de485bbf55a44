import { recentTimeText } from '$lib/domain/zoned-time';

/** "14:05" today, "3月2日 14:05" on another day, on the community's clock; null when never. */
export function formatLastSync(
	at: string | number | Date | null,
	timeZone: string,
	now: number = Date.now()
): string | null {
	if (at === null) return null;
	const time = new Date(at).getTime();
	if (Number.isNaN(time)) return null;
	return recentTimeText(time, now, timeZone);
}
