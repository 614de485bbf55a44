/**
 * A camera reads the same QR code many times a second while it is held up. This lets the first
 * read through and swallows the same text until it has been out of sight for `quietMs`, so a card
 * still held in front of the camera after "退出" does not open the resident again.
 */
export function createScanDebouncer(quietMs = 2000): (text: string, now: number) => boolean {
	let lastText: string | null = null;
	let lastSeenAt = -Infinity;
	return (text, now) => {
		const repeated = text === lastText && now - lastSeenAt < quietMs;
		lastText = text;
		lastSeenAt = now;
		return !repeated;
	};
}
