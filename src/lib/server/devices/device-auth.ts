import type { Kysely } from 'kysely';
import type { DeviceKind } from '$lib/protocol/devices';
import type { Database, DeviceRow } from '../db/schema';
import { ApiFailure } from '../http/api-errors';
import { authenticateDevice } from './enrollment';

/** The device behind the request's bearer token, or a 401/403 ApiFailure. Notes it was seen. */
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
	await db
		.updateTable('devices')
		.set({ last_seen_at: new Date().toISOString() })
		.where('id', '=', device.id)
		.execute();
	return device;
}
