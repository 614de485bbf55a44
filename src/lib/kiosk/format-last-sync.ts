/** "14:05" today, "3月2日 14:05" on another day, in the kiosk's local time; null when never. */
export function formatLastSync(
	at: string | number | Date | null,
	now: Date = new Date()
): string | null {
	if (at === null) return null;
	const date = new Date(at);
	if (Number.isNaN(date.getTime())) return null;
	const time = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
	const sameDay = date.toDateString() === now.toDateString();
	return sameDay ? time : `${date.getMonth() + 1}月${date.getDate()}日 ${time}`;
}
