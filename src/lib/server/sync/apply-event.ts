import type { Kysely } from 'kysely';
import { isOverdrawn, redemptionTotal } from '$lib/domain/ledger';
import type { RejectReason } from '$lib/protocol/errors';
import type {
	DayCloseEvent,
	DeviceEvent,
	RedemptionEvent,
	RedemptionPayload,
	ShopEvent,
	StockLossEvent,
	StockReceiptEvent,
	VoidEvent
} from '$lib/protocol/events';
import { checkResidentCard, type CommunityKeys } from '../cards/resident-card-check';
import type { Database, DeviceRow, NewStockMovement, ReviewFlagKind } from '../db/schema';
import {
	changeKey,
	itemChanges,
	loadResidentFacts,
	residentChanges,
	type EntityChange
} from './change-feed';

/*
 * Applying one pushed event: one function per event type, each reading what it needs from the
 * database (balances and stock are sums of the append-only logs, read as they are now), checking,
 * then writing append-only rows. push.ts runs each call in its own savepoint, in batch order, so a
 * refusal or a failure rolls back that event alone.
 *
 * - redemption → the scanned card's text must carry our key's signature and name the event's
 *   resident and card serial (refused otherwise: a device token alone spends nobody's points);
 *   then a 'redemption' ledger entry (−), 'redeemed' movements for stock-tracked lines, and
 *   review flags when it overdrew the balance, used a revoked card or was a moved-out resident's
 *   (applied anyway: the goods have left the shop).
 * - stockReceipt → 'received' movements (+); stockLoss → one 'damaged' movement (−) with the
 *   reason; void → a 'reversal' ledger entry naming the redemption's entry, 'voided' movements
 *   naming the 'redeemed' ones, and a `voids` row (unique per redemption); dayClose → a 'counted'
 *   movement of counted − expected for every item that differed, and the `day_reports` row
 *   (unique per device and business day).
 * - Rules: the staff member must be an active staff member of the device's community; a void must
 *   be of an applied redemption of the same community (any of its kiosks) and the same business
 *   day, and only once; a closing's approver must be another active staff member of the community.
 *   The kiosk enforced the count-difference limit with the limit it had when it closed (maybe
 *   offline): the server does not refuse a closing afterwards for a limit changed since.
 */

export type Rejection = { reason: RejectReason; message: string };

/** What an applied event changed: the change keys (change-feed.ts) of what it moved. */
export interface Applied {
	touched: string[];
	/**
	 * Why the office should review it (one review flag each): a redemption that overdrew the
	 * balance, used a revoked card or was a moved-out resident's. Empty for everything else.
	 */
	flags: ReviewFlagKind[];
	/** Anything else the office should know about it (kept in received_events.warning). */
	warning?: string;
}

/** Thrown by an apply function: the event's answer for good, with its reason. */
export class Refusal extends Error {
	constructor(readonly rejection: Rejection) {
		super(rejection.message);
	}
}

function refuse(reason: RejectReason, message: string): never {
	throw new Refusal({ reason, message });
}

export interface ApplyContext {
	trx: Kysely<Database>;
	device: DeviceRow;
	recordedAt: string;
	/**
	 * Redemptions applied earlier in this batch: their received_events rows are written with the
	 * batch's answers, after the feed gave them their seq, so a void looks here first.
	 */
	appliedRedemptions: Map<string, RedemptionEvent>;
	/** The community's public key, imported once for the batch's cards. */
	communityKeys: CommunityKeys;
}

export function applyEvent(context: ApplyContext, event: DeviceEvent): Promise<Applied> {
	switch (event.type) {
		case 'redemption':
			return applyRedemption(context, event);
		case 'stockReceipt':
			return unflagged(applyStockReceipt(context, event));
		case 'stockLoss':
			return unflagged(applyStockLoss(context, event));
		case 'void':
			return unflagged(applyVoid(context, event));
		case 'dayClose':
			return unflagged(applyDayClose(context, event));
	}
}

async function unflagged(touched: Promise<string[]>): Promise<Applied> {
	return { touched: await touched, flags: [] };
}

/** The unique constraints that stand behind the checks, should two pushes race. */
export function constraintRejection(error: unknown): Rejection | null {
	const message = error instanceof Error ? error.message : '';
	if (message.includes('voids.redemption_event_id')) {
		return { reason: 'already_voided', message: '这笔兑换已经撤销过了' };
	}
	if (message.includes('day_reports.device_id')) {
		return { reason: 'already_closed', message: '这台设备这一天已经日结过了' };
	}
	return null;
}

async function applyRedemption(context: ApplyContext, event: RedemptionEvent): Promise<Applied> {
	const { trx, device, recordedAt } = context;
	const { payload } = event;
	const resident = (await loadResidentFacts(trx, device.community_id, [payload.residentId])).get(
		payload.residentId
	);
	if (!resident) refuse('unknown_resident', '本社区没有这位居民');
	const card = await checkRedemptionCard(context, payload);
	const itemIds = [...new Set(payload.lines.map((line) => line.itemId))];
	const items = await trx
		.selectFrom('items')
		.select(['id', 'stock_tracked'])
		.where('community_id', '=', device.community_id)
		.where('id', 'in', itemIds)
		.execute();
	const tracked = new Map(items.map((item) => [item.id, item.stock_tracked === 1]));
	const missing = payload.lines.find((line) => !tracked.has(line.itemId));
	if (missing) refuse('unknown_item', `本社区没有编号为 ${missing.itemId} 的物品`);
	const total = redemptionTotal(payload.lines);
	if (total !== payload.totalPoints) {
		refuse('bad_total', `合计积分与明细不符：明细合计 ${total}，事件写的是 ${payload.totalPoints}`);
	}

	const occurredAt = new Date(event.occurredAt).toISOString();
	const entry = await trx
		.insertInto('ledger_entries')
		.values({
			community_id: device.community_id,
			resident_id: resident.id,
			points: -payload.totalPoints,
			reason: 'redemption',
			event_id: event.id,
			note: payload.offline ? 'offline' : null,
			actor_kind: 'device',
			actor_id: device.id,
			occurred_at: occurredAt,
			recorded_at: recordedAt
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const movementLines = payload.lines.filter((line) => tracked.get(line.itemId));
	if (movementLines.length > 0) {
		await trx
			.insertInto('stock_movements')
			.values(
				movementLines.map((line) => ({
					community_id: device.community_id,
					item_id: line.itemId,
					kind: 'redeemed' as const,
					quantity: -line.quantity,
					event_id: event.id,
					actor_kind: 'device' as const,
					actor_id: device.id,
					occurred_at: occurredAt,
					recorded_at: recordedAt
				}))
			)
			.execute();
	}
	const balanceAfter = resident.balance - payload.totalPoints;
	const flagKinds: ReviewFlagKind[] = [];
	if (isOverdrawn(balanceAfter)) flagKinds.push('overdrawn');
	if (card.revoked) flagKinds.push('revoked_card');
	if (card.movedOut) flagKinds.push('moved_out');
	if (flagKinds.length > 0) {
		const details = JSON.stringify({
			balanceBefore: resident.balance,
			balanceAfter,
			cardSerial: payload.cardSerial,
			offline: payload.offline,
			deviceId: device.id
		});
		await trx
			.insertInto('review_flags')
			.values(
				flagKinds.map((kind) => ({
					community_id: device.community_id,
					kind,
					resident_id: resident.id,
					ledger_entry_id: entry.id,
					event_id: event.id,
					details,
					created_at: recordedAt
				}))
			)
			.execute();
	}
	context.appliedRedemptions.set(event.id, event);
	return {
		touched: [
			changeKey('resident', resident.id),
			...movementLines.map((line) => changeKey('item', line.itemId))
		],
		flags: flagKinds
	};
}

/** The scanned card must be genuine and be the event's resident's card with the event's serial. */
async function checkRedemptionCard(context: ApplyContext, payload: RedemptionPayload) {
	const check = await checkResidentCard(
		context.trx,
		context.device.community_id,
		payload.credential,
		context.communityKeys
	);
	if (!check.ok) {
		if (check.problem === 'unknown_card') {
			refuse('unknown_card', `服务器上没有这张积分卡（编号 ${payload.cardSerial}）`);
		}
		refuse('forged_card', '积分卡签名不对（伪造、损坏或其他社区的卡），这笔兑换没有记账');
	}
	const { card } = check;
	if (card.residentId !== payload.residentId || card.serial !== payload.cardSerial) {
		refuse('card_mismatch', '扫描的积分卡不是这位居民的（或卡号不符），这笔兑换没有记账');
	}
	return card;
}

async function checkStaff(context: ApplyContext, staffId: number, role = '店员'): Promise<void> {
	const member = await context.trx
		.selectFrom('staff_members')
		.innerJoin('office_accounts', 'office_accounts.id', 'staff_members.id')
		.select(['staff_members.active', 'office_accounts.active as accountActive'])
		.where('staff_members.id', '=', staffId)
		.where('staff_members.community_id', '=', context.device.community_id)
		.executeTakeFirst();
	if (!member || member.active !== 1 || member.accountActive !== 1) {
		refuse('unknown_staff', `${role}（编号 ${staffId}）不是本社区在职的店员`);
	}
}

/** The community's stock-tracked items among `itemIds`; refuses unknown and untracked ones. */
async function checkStockItems(context: ApplyContext, itemIds: readonly number[]): Promise<void> {
	if (itemIds.length === 0) return;
	const rows = await context.trx
		.selectFrom('items')
		.select(['id', 'name', 'stock_tracked'])
		.where('community_id', '=', context.device.community_id)
		.where('id', 'in', [...new Set(itemIds)])
		.execute();
	const byId = new Map(rows.map((row) => [row.id, row]));
	for (const id of itemIds) {
		const row = byId.get(id);
		if (!row) refuse('unknown_item', `本社区没有编号为 ${id} 的物品`);
		if (row.stock_tracked !== 1) refuse('not_stock_tracked', `「${row.name}」不计库存`);
	}
}

function movement(
	context: ApplyContext,
	event: ShopEvent,
	row: Pick<NewStockMovement, 'item_id' | 'kind' | 'quantity'> & Partial<NewStockMovement>
): NewStockMovement {
	return {
		community_id: context.device.community_id,
		event_id: event.id,
		actor_kind: 'device',
		actor_id: context.device.id,
		staff_id: event.payload.staffId,
		occurred_at: new Date(event.occurredAt).toISOString(),
		recorded_at: context.recordedAt,
		...row
	};
}

async function insertMovements(context: ApplyContext, rows: NewStockMovement[]): Promise<void> {
	if (rows.length > 0) await context.trx.insertInto('stock_movements').values(rows).execute();
}

async function applyStockReceipt(context: ApplyContext, event: StockReceiptEvent) {
	const { payload } = event;
	await checkStaff(context, payload.staffId);
	await checkStockItems(
		context,
		payload.lines.map((line) => line.itemId)
	);
	await insertMovements(
		context,
		payload.lines.map((line) =>
			movement(context, event, {
				item_id: line.itemId,
				kind: 'received',
				quantity: line.quantity,
				note: payload.note || null
			})
		)
	);
	return payload.lines.map((line) => changeKey('item', line.itemId));
}

async function applyStockLoss(context: ApplyContext, event: StockLossEvent) {
	const { payload } = event;
	await checkStaff(context, payload.staffId);
	await checkStockItems(context, [payload.itemId]);
	await insertMovements(context, [
		movement(context, event, {
			item_id: payload.itemId,
			kind: 'damaged',
			quantity: -payload.quantity,
			reason: payload.reason,
			note: payload.note || null
		})
	]);
	return [changeKey('item', payload.itemId)];
}

/** The redemption as pushed: from this batch, or from the answers kept for earlier ones. */
async function redemptionPayload(
	context: ApplyContext,
	eventId: string
): Promise<RedemptionPayload | undefined> {
	const inBatch = context.appliedRedemptions.get(eventId);
	if (inBatch) return inBatch.payload;
	const received = await context.trx
		.selectFrom('received_events')
		.select('body')
		.where('id', '=', eventId)
		.where('type', '=', 'redemption')
		.where('status', '=', 'applied')
		.executeTakeFirst();
	return received
		? (JSON.parse(received.body) as { payload: RedemptionPayload }).payload
		: undefined;
}

async function applyVoid(context: ApplyContext, event: VoidEvent) {
	const { trx, device } = context;
	const { payload } = event;
	await checkStaff(context, payload.staffId);
	// The redemption's ledger entry exists exactly when the server applied it.
	const entry = await trx
		.selectFrom('ledger_entries')
		.select(['id', 'resident_id', 'points'])
		.where('event_id', '=', payload.redemptionId)
		.where('reason', '=', 'redemption')
		.where('community_id', '=', device.community_id)
		.executeTakeFirst();
	const redemption = entry ? await redemptionPayload(context, payload.redemptionId) : undefined;
	if (!entry || !redemption) {
		refuse('unknown_redemption', '服务器没有这笔兑换（或它没有生效），无法撤销');
	}
	if (redemption.businessDate !== payload.businessDate) {
		refuse(
			'not_same_day',
			`只能撤销当天的兑换：这笔是 ${redemption.businessDate} 的，撤销记在 ${payload.businessDate}`
		);
	}
	const earlier = await trx
		.selectFrom('voids')
		.select('event_id')
		.where('redemption_event_id', '=', payload.redemptionId)
		.executeTakeFirst();
	if (earlier) refuse('already_voided', '这笔兑换已经撤销过了');

	const redeemed = await trx
		.selectFrom('stock_movements')
		.select(['id', 'item_id', 'quantity'])
		.where('event_id', '=', payload.redemptionId)
		.where('kind', '=', 'redeemed')
		.execute();
	const occurredAt = new Date(event.occurredAt).toISOString();
	await trx
		.insertInto('ledger_entries')
		.values({
			community_id: device.community_id,
			resident_id: entry.resident_id,
			points: -entry.points,
			reason: 'reversal',
			event_id: event.id,
			reverses_entry_id: entry.id,
			note: payload.reason,
			actor_kind: 'device',
			actor_id: device.id,
			staff_id: payload.staffId,
			occurred_at: occurredAt,
			recorded_at: context.recordedAt
		})
		.execute();
	await insertMovements(
		context,
		redeemed.map((row) =>
			movement(context, event, {
				item_id: row.item_id,
				kind: 'voided',
				quantity: -row.quantity,
				reverses_movement_id: row.id,
				reason: payload.reason
			})
		)
	);
	await trx
		.insertInto('voids')
		.values({
			community_id: device.community_id,
			event_id: event.id,
			device_id: device.id,
			redemption_event_id: payload.redemptionId,
			business_date: payload.businessDate,
			staff_id: payload.staffId,
			reason: payload.reason,
			points: -entry.points,
			occurred_at: occurredAt,
			recorded_at: context.recordedAt
		})
		.execute();
	return [
		changeKey('resident', entry.resident_id),
		...redeemed.map((row) => changeKey('item', row.item_id))
	];
}

async function applyDayClose(context: ApplyContext, event: DayCloseEvent) {
	const { trx, device } = context;
	const { payload } = event;
	await checkStaff(context, payload.staffId);
	if (payload.approverStaffId !== undefined) {
		if (payload.approverStaffId === payload.staffId) {
			refuse('unknown_staff', '复核人必须是另一位店员');
		}
		await checkStaff(context, payload.approverStaffId, '复核人');
	}
	const closed = await trx
		.selectFrom('day_reports')
		.select('event_id')
		.where('device_id', '=', device.id)
		.where('business_date', '=', payload.businessDate)
		.executeTakeFirst();
	if (closed) refuse('already_closed', `这台设备 ${payload.businessDate} 已经日结过了`);
	await checkStockItems(
		context,
		payload.counts.map((count) => count.itemId)
	);

	const differing = payload.counts.filter((count) => count.counted !== count.expected);
	await insertMovements(
		context,
		differing.map((count) =>
			movement(context, event, {
				item_id: count.itemId,
				kind: 'counted',
				quantity: count.counted - count.expected,
				reason: count.reason ?? null
			})
		)
	);
	const { report } = payload;
	await trx
		.insertInto('day_reports')
		.values({
			community_id: device.community_id,
			device_id: device.id,
			business_date: payload.businessDate,
			event_id: event.id,
			staff_id: payload.staffId,
			approver_staff_id: payload.approverStaffId ?? null,
			redemption_count: report.redemptions.count,
			redemption_points: report.redemptions.points,
			void_count: report.voids.count,
			void_points: report.voids.points,
			difference_count: differing.length,
			report: JSON.stringify(report),
			closed_at: new Date(report.closedAt).toISOString(),
			recorded_at: context.recordedAt
		})
		.execute();
	return differing.map((count) => changeKey('item', count.itemId));
}

/** Fresh snapshots, read back from the tables, of every resident and item in `touched`. */
export async function touchedChanges(
	trx: Kysely<Database>,
	communityId: number,
	touched: ReadonlySet<string>
): Promise<EntityChange[]> {
	if (touched.size === 0) return [];
	const ids = (entity: string) =>
		[...touched]
			.filter((key) => key.startsWith(`${entity}:`))
			.map((key) => Number(key.slice(entity.length + 1)));
	return [
		...(await residentChanges(trx, communityId, ids('resident'))),
		...(await itemChanges(trx, communityId, ids('item')))
	];
}
