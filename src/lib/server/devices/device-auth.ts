import type { Kysely } from 'kysely';
import type { DeviceKind } from '$lib/protocol/devices';
import { isStorageFull } from '../db/connection';
import type { Database, DeviceRow } from '../db/schema';
import { ApiFailure } from '../http/api-errors';
import { authenticateDevice } from './enrollment';

/** How stale a device's `last_seen_at` may get: the office reads it in minutes, not seconds. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** The device behind the request's bearer token, or a 401/403 ApiFailure. Notes it was seen (to the minute). */
export async function requireDevice(
	db: Kysely<Database>,
	request: Request,
	kind: DeviceKind
): Promise<DeviceRow> {
	const device = await authenticateDevice(db, request.headers.get('authorization'));
	if (!device) throw new ApiFailure('unauthorized');
	if (device.kind !== kind) {
		throw new ApiFailure('forbidden', '这台设备的类型不能调用这个接口');
	}
	// At most once a minute: each write outside a batch's transaction is a commit of its own (a
	// disk flush), which a kiosk pushing many batches in a row would otherwise pay on every call.
	const now = Date.now();
	const lastSeen = device.last_seen_at === null ? NaN : Date.parse(device.last_seen_at);
	if (!(Math.abs(now - lastSeen) < LAST_SEEN_RESOLUTION_MS)) {
		try {
			await db
				.updateTable('devices')
				.set({ last_seen_at: new Date(now).toISOString() })
				.where('id', '=', device.id)
				.execute();
		} catch (error) {
			// Bookkeeping: on a full disk the pull or feed this request wants must still answer.
			if (!isStorageFull(error)) throw error;
		}
	}
	return device;
}
