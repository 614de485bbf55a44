import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DeviceKind } from '$lib/protocol/devices';
import type { RedemptionEvent, RedemptionLine, ShopEvent } from '$lib/protocol/events';
import type { PullResponse, PushRequest } from '$lib/protocol/sync';
import type { Database, DeviceRow } from '../db/schema';
import { authenticateDevice, enrollDevice, mintEnrollmentCode } from '../devices/enrollment';
import { importCommunityPrivateKey, residentCardText } from '../keys/community-keys';
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

/**
 * The QR text of a resident's card, signed with the community's own key as the office prints it
 * (the card need not exist: tests of an unknown serial sign one anyway).
 */
export async function residentCredential(
	db: Kysely<Database>,
	communityId: number,
	residentId: number,
	serial = 1
): Promise<string> {
	const community = await db
		.selectFrom('communities')
		.select('private_key')
		.where('id', '=', communityId)
		.executeTakeFirstOrThrow();
	return residentCardText(await importCommunityPrivateKey(community.private_key), {
		communityId,
		residentId,
		serial
	});
}

/**
 * A valid redemption event carrying the resident's card, signed with the community's key (or the
 * `credential` given: tests forge one on purpose); `totalPoints` defaults to the lines' sum.
 */
export async function redemptionEvent(
	db: Kysely<Database>,
	device: Pick<DeviceRow, 'id' | 'community_id'>,
	payload: {
		residentId: number;
		cardSerial?: number;
		credential?: string;
		lines: RedemptionLine[];
		totalPoints?: number;
		offline?: boolean;
		occurredAt?: Date;
	}
): Promise<RedemptionEvent> {
	const occurredAt = payload.occurredAt ?? new Date();
	const cardSerial = payload.cardSerial ?? 1;
	return {
		id: uuidV7(),
		deviceId: device.id,
		deviceSeq: ++deviceSeq,
		type: 'redemption',
		occurredAt: occurredAt.toISOString(),
		payload: {
			residentId: payload.residentId,
			cardSerial,
			credential:
				payload.credential ??
				(await residentCredential(db, device.community_id, payload.residentId, cardSerial)),
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
