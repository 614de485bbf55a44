/**
 * A display whose own clock is wrong (a TV box without a battery, a day off after a power cut)
 * would show the wrong time and the wrong day part. The server's Date header says what time it
 * is; when the two differ by more than a minute the display goes by the server's.
 */
const TRUST_DEVICE_WITHIN_MS = 60_000;

/**
 * Server clock minus device clock, from an answer's Date header and the device times the request
 * left and the answer came back; 0 when they agree within a minute or the header is unreadable.
 */
export function clockOffsetMs(
	serverDate: string | null,
	sentAt: number,
	receivedAt: number
): number {
	if (serverDate === null) return 0;
	const server = Date.parse(serverDate);
	if (!Number.isFinite(server)) return 0;
	const offset = server - (sentAt + receivedAt) / 2;
	return Math.abs(offset) > TRUST_DEVICE_WITHIN_MS ? Math.round(offset) : 0;
}
