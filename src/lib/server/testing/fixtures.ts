import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DeviceKind } from '$lib/protocol/devices';
import type { RedemptionEvent, RedemptionLine, ShopEvent } from '$lib/protocol/events';
import type { PullResponse, PushRequest } from '$lib/protocol/sync';
import type { Database, DeviceRow } from '../db/schema';
import { authenticateDevice, enrollDevice, mintEnrollmentCode } from '../devices/enrollment';
import { readChangePage } from '../sync/pull';

export interface EnrolledDevice {
	device: DeviceRow;
	token: string;
}

/** Mints a code and enrolls a device with it, as a kiosk would. */
export async function enrollTestDevice(
	db: Kysely<Database>,
	communityId: number,
	kind: DeviceKind = 'kiosk'
): Promise<EnrolledDevice> {
	const { code } = await mintEnrollmentCode(db, { communityId, kind });
	const outcome = await enrollDevice(db, { code, kind }, { clientAddress: `test-${randomUUID()}` });
	if (!outcome.ok) throw new Error(outcome.message);
	const device = await authenticateDevice(db, `Bearer ${outcome.enrollment.token}`);
	if (!device) throw new Error('enrolled device does not authenticate');
	return { device, token: outcome.enrollment.token };
}

let deviceSeq = 0;

/** A UUIDv7 (time-ordered), as devices make their event ids. */
export function uuidV7(now: number = Date.now()): string {
	const bytes = randomBytes(16);
	bytes.writeUIntBE(now, 0, 6);
	bytes[6] = (bytes[6]! & 0x0f) | 0x70;
	bytes[8] = (bytes[8]! & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A valid redemption event; `totalPoints` defaults to the lines' sum. */
export function redemptionEvent(
	device: Pick<DeviceRow, 'id'>,
	payload: {
		residentId: number;
		cardSerial?: number;
		lines: RedemptionLine[];
		totalPoints?: number;
		offline?: boolean;
		occurredAt?: Date;
	}
): RedemptionEvent {
	const occurredAt = payload.occurredAt ?? new Date();
	return {
		id: uuidV7(),
		deviceId: device.id,
		deviceSeq: ++deviceSeq,
		type: 'redemption',
		occurredAt: occurredAt.toISOString(),
		payload: {
			residentId: payload.residentId,
			cardSerial: payload.cardSerial ?? 1,
			lines: payload.lines,
			totalPoints:
				payload.totalPoints ?? payload.lines.reduce((sum, l) => sum + l.quantity * l.unitPoints, 0),
			offline: payload.offline ?? false,
			businessDate: occurredAt.toISOString().slice(0, 10)
		}
	};
}

/** A shop-mode event of `device` (payload as given: tests may make it invalid on purpose). */
export function shopEvent<T extends ShopEvent['type']>(
	device: Pick<DeviceRow, 'id'>,
	type: T,
	payload: Extract<ShopEvent, { type: T }>['payload'],
	occurredAt: Date = new Date()
): Extract<ShopEvent, { type: T }> {
	return {
		id: uuidV7(),
		deviceId: device.id,
		deviceSeq: ++deviceSeq,
		type,
		occurredAt: occurredAt.toISOString(),
		payload
	} as Extract<ShopEvent, { type: T }>;
}

export function pushRequest(events: unknown[], sentAt: Date = new Date()): PushRequest {
	return { events, sentAt: sentAt.toISOString() };
}

/** Pulls a community's feed after `after` page by page, as a device would, to the end. */
export async function pullPages(
	db: Kysely<Database>,
	communityId: number,
	after: number,
	limit: number
): Promise<{ pages: PullResponse[]; cursor: number }> {
	const pages: PullResponse[] = [];
	let cursor = after;
	for (;;) {
		const page = await readChangePage(db, communityId, cursor, limit);
		pages.push(page);
		cursor = page.cursor;
		if (!page.hasMore) return { pages, cursor };
	}
}
