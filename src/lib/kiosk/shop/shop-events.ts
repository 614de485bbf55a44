/**
 * What every shop-mode write shares: the enrolled kiosk's context read inside the caller's
 * transaction, the business day (the next one once today is closed), the next deviceSeq and the
 * outbox row. The caller writes its own records in the same transaction, as recordRedemption does.
 */
import { shopBusinessDate } from '$lib/domain/shop-business-date';
import { uuidv7 } from '$lib/domain/uuid';
import type { ShopEvent } from '$lib/protocol/events';
import type { CommunitySnapshot } from '$lib/protocol/sync';
import {
	getAllMetas,
	newOutboxRow,
	type DeviceIdentity,
	type KioskDb,
	type LocalStockMovement,
	type MetaValues,
	type StaffRow
} from '../local-db';

/** Thrown inside a transaction to roll it back with a reason the caller turns into a result. */
export class ShopRefusal<P extends string> extends Error {
	constructor(readonly problem: P) {
		super(problem);
	}
}

export interface ShopContext {
	device: DeviceIdentity;
	community: CommunitySnapshot;
	meta: Partial<MetaValues>;
	/** The business day new events belong to. */
	businessDate: string;
}

/** Reads the kiosk's context; null when it is not enrolled (or must enroll again). */
export async function readShopContext(db: KioskDb, now: Date): Promise<ShopContext | null> {
	const meta = await getAllMetas(db);
	const { device, community } = meta;
	if (!device || !community || meta.needsEnrollment) return null;
	return {
		device,
		community,
		meta,
		businessDate: shopBusinessDate(now, community.timeZone, meta.lastClosedDate)
	};
}

/** A pending local stock movement written by `event` (its id is the event's). */
export function pendingMovement(
	event: ShopEvent,
	kind: LocalStockMovement['kind'],
	lines: LocalStockMovement['lines'],
	extra: Pick<LocalStockMovement, 'note' | 'lossReason'> = {}
): LocalStockMovement {
	return {
		eventId: event.id,
		deviceSeq: event.deviceSeq,
		kind,
		lines,
		businessDate: event.payload.businessDate,
		occurredAt: event.occurredAt,
		staffId: event.payload.staffId,
		...(extra.note ? { note: extra.note } : {}),
		...(extra.lossReason ? { lossReason: extra.lossReason } : {}),
		status: 'pending',
		ackSeq: null
	};
}

/** An active staff member with a PIN, or null: only they may record anything in shop mode. */
export async function activeStaff(db: KioskDb, staffId: number): Promise<StaffRow | null> {
	const staff = await db.staff.get(staffId);
	return staff && staff.active && staff.pin ? staff : null;
}

type PayloadOf<T extends ShopEvent['type']> = Extract<ShopEvent, { type: T }>['payload'];

/**
 * Builds the event, and writes the outbox row and the new deviceSeq (in the caller's
 * transaction, which must include meta and outbox).
 */
export async function appendShopEvent<T extends ShopEvent['type']>(
	db: KioskDb,
	context: ShopContext,
	type: T,
	payload: PayloadOf<T>,
	now: Date
): Promise<Extract<ShopEvent, { type: T }>> {
	const deviceSeq = (context.meta.deviceSeq ?? 0) + 1;
	const occurredAt = now.toISOString();
	const event = {
		id: uuidv7(now.getTime()),
		deviceId: context.device.deviceId,
		deviceSeq,
		occurredAt,
		type,
		payload
	} as Extract<ShopEvent, { type: T }>;
	await Promise.all([
		db.meta.put({ key: 'deviceSeq', value: deviceSeq }),
		db.outbox.add(newOutboxRow(event))
	]);
	// Later writes in the same transaction must take the next number.
	context.meta.deviceSeq = deviceSeq;
	return event;
}
