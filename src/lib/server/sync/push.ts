import * as v from 'valibot';
import type { ControlledTransaction, Insertable, Kysely } from 'kysely';
import { isOverdrawn, redemptionTotal } from '$lib/domain/ledger';
import type { RejectReason } from '$lib/protocol/errors';
import {
	DeviceEventSchema,
	EventEnvelopeSchema,
	type DeviceEvent,
	type RedemptionEvent,
	type ShopEvent
} from '$lib/protocol/events';
import type { PushRequest, PushResponse, PushResult } from '$lib/protocol/sync';
import { BulkInserter } from '../db/bulk-insert';
import { chunked } from '../db/chunks';
import { isStorageFull } from '../db/connection';
import type { Database, DeviceRow, ItemRow, ReviewFlagKind } from '../db/schema';
import { itemStocks } from '../ledger/balances';
import { applyShopEvents, shopChanges } from './apply-shop';
import { changeKey, loadResidentFacts, recordChanges, type EntityChange } from './change-feed';
import { eventOddity } from './event-oddities';
import { nestsDeeperThan } from './nesting';
import { itemSnapshot, residentSnapshot, type ResidentFacts } from './snapshots';

/*
 * Applying a pushed batch. The batch runs in one database transaction: its rows are written with
 * a few multi-row inserts, and should the database refuse one, the batch starts over with every
 * event in its own savepoint, so an event that fails rolls back alone (one bad event never fails
 * the batch). The answers go out only after the single commit made all of them durable.
 *
 * Everything an event needs (earlier answers, residents, cards, items, balances, stock) is read
 * once per batch; balances and stock then move in memory as events apply, which is safe because
 * the transaction holds the only connection. The feed gets one change row per touched resident
 * and item at the end of the batch; each event answers the highest seq that carries its effect.
 */

const KNOWN_EVENT_TYPES = new Set<string>(
	DeviceEventSchema.options.map((o) => o.entries.type.literal)
);

type Rejection = { reason: RejectReason; message: string };

/** What the first pass (no database) made of one element of the batch. */
type Triaged =
	/** Refused before it could own its id: goes to rejected_events. */
	| { kind: 'refused'; id: string; body: unknown; rejection: Rejection }
	/** Has a usable id from this device: answered from received_events from now on. */
	| {
			kind: 'owned';
			id: string;
			type: string;
			body: unknown;
			event: DeviceEvent | null;
			invalid: Rejection | null;
	  };

type Outcome =
	| { status: 'applied'; touched: string[]; flagged: boolean }
	| { status: 'rejected'; rejection: Rejection; keepInReceived: boolean }
	| { status: 'answered'; result: PushResult }
	| { status: 'same_as'; index: number };

interface ItemState {
	row: ItemRow;
	stock: number;
}

function describeIssues(issues: v.BaseIssue<unknown>[]): string {
	return v.summarize(issues as [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]).slice(0, 400);
}

const WRONG_DEVICE: Rejection = {
	reason: 'wrong_device',
	message: '这个事件不是本设备产生的'
};

/** Far more than any event needs (a day close nests 4 levels), far less than overflows a stack. */
const MAX_EVENT_NESTING = 16;

function triage(element: unknown, device: DeviceRow): Triaged {
	// Measured first: everything after (the schema, JSON.stringify of the kept body) recurses.
	if (nestsDeeperThan(element, MAX_EVENT_NESTING)) {
		const rawId = (element as { id?: unknown } | null)?.id;
		return {
			kind: 'refused',
			id: typeof rawId === 'string' ? rawId.slice(0, 100) : '',
			body: `(nested deeper than ${MAX_EVENT_NESTING} levels; not kept)`,
			rejection: {
				reason: 'invalid_event',
				message: `事件嵌套超过 ${MAX_EVENT_NESTING} 层，无法处理`
			}
		};
	}
	// Nearly every event is valid: parse it once, and look again only at one that fails, to tell
	// an unusable id from a bad body.
	const parsed = v.safeParse(DeviceEventSchema, element);
	if (parsed.success) {
		const event = parsed.output;
		if (event.deviceId !== device.id) {
			return { kind: 'refused', id: event.id, body: element, rejection: WRONG_DEVICE };
		}
		return { kind: 'owned', id: event.id, type: event.type, body: element, event, invalid: null };
	}
	const envelope = v.safeParse(EventEnvelopeSchema, element);
	if (!envelope.success) {
		const rawId = (element as { id?: unknown } | null)?.id;
		return {
			kind: 'refused',
			id: typeof rawId === 'string' ? rawId.slice(0, 100) : '',
			body: element,
			rejection: { reason: 'invalid_event', message: '事件缺少有效的编号（id 必须是 UUID）' }
		};
	}
	const { id, deviceId, type } = envelope.output;
	if (typeof deviceId === 'string' && deviceId !== device.id) {
		return { kind: 'refused', id, body: element, rejection: WRONG_DEVICE };
	}
	const invalid: Rejection =
		typeof type === 'string' && !KNOWN_EVENT_TYPES.has(type)
			? { reason: 'unknown_type', message: `服务器不认识这种事件：${type.slice(0, 40)}` }
			: { reason: 'invalid_event', message: `事件格式不正确：${describeIssues(parsed.issues)}` };
	return {
		kind: 'owned',
		id,
		type: String(type ?? 'unknown').slice(0, 40),
		body: element,
		event: null,
		invalid
	};
}

function checkRedemption(
	event: RedemptionEvent,
	resident: ResidentFacts | undefined,
	items: Map<number, ItemState>
): Rejection | null {
	const { payload } = event;
	if (!resident) return { reason: 'unknown_resident', message: '本社区没有这位居民' };
	if (!resident.cards.some((card) => card.serial === payload.cardSerial)) {
		return { reason: 'unknown_card', message: `居民没有编号为 ${payload.cardSerial} 的卡` };
	}
	const missing = payload.lines.find((line) => !items.has(line.itemId));
	if (missing)
		return { reason: 'unknown_item', message: `本社区没有编号为 ${missing.itemId} 的物品` };
	const total = redemptionTotal(payload.lines);
	if (total !== payload.totalPoints) {
		return {
			reason: 'bad_total',
			message: `合计积分与明细不符：明细合计 ${total}，事件写的是 ${payload.totalPoints}`
		};
	}
	return null;
}

/** The rows one valid redemption writes, worked out in memory from the batch's running state. */
interface RedemptionPlan {
	index: number;
	event: RedemptionEvent;
	resident: ResidentFacts;
	ledger: Insertable<Database['ledger_entries']> & { event_id: string; points: number };
	movements: Array<Insertable<Database['stock_movements']> & { item_id: number; quantity: number }>;
	flags: Array<Omit<Insertable<Database['review_flags']>, 'ledger_entry_id'>>;
	touched: string[];
}

function planRedemption(
	index: number,
	device: DeviceRow,
	event: RedemptionEvent,
	resident: ResidentFacts,
	items: Map<number, ItemState>,
	recordedAt: string
): RedemptionPlan {
	const { payload } = event;
	const occurredAt = new Date(event.occurredAt).toISOString();
	const movementLines = payload.lines.filter(
		(line) => items.get(line.itemId)!.row.stock_tracked === 1
	);
	const balanceAfter = resident.balance - payload.totalPoints;
	const card = resident.cards.find((c) => c.serial === payload.cardSerial)!;
	const flagKinds: ReviewFlagKind[] = [];
	if (isOverdrawn(balanceAfter)) flagKinds.push('overdrawn');
	if (card.revoked) flagKinds.push('revoked_card');
	const details =
		flagKinds.length > 0
			? JSON.stringify({
					balanceBefore: resident.balance,
					balanceAfter,
					cardSerial: payload.cardSerial,
					offline: payload.offline,
					deviceId: device.id
				})
			: '';
	return {
		index,
		event,
		resident,
		ledger: {
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
		},
		movements: movementLines.map((line) => ({
			community_id: device.community_id,
			item_id: line.itemId,
			kind: 'redeemed' as const,
			quantity: -line.quantity,
			event_id: event.id,
			actor_kind: 'device' as const,
			actor_id: device.id,
			occurred_at: occurredAt,
			recorded_at: recordedAt
		})),
		flags: flagKinds.map((kind) => ({
			community_id: device.community_id,
			kind,
			resident_id: resident.id,
			event_id: event.id,
			details,
			created_at: recordedAt
		})),
		touched: [
			changeKey('resident', resident.id),
			...movementLines.map((line) => changeKey('item', line.itemId))
		]
	};
}

/** Moves the batch's running balances and stock by what a written plan changed. */
function takeEffect(plan: RedemptionPlan, items: Map<number, ItemState>) {
	plan.resident.balance += plan.ledger.points;
	for (const movement of plan.movements) items.get(movement.item_id)!.stock += movement.quantity;
}

/**
 * Writes the plans' rows with a few multi-row inserts. Ledger entry ids come back by event id
 * (each event writes exactly one entry), so the flags can point at their entries.
 */
async function writePlans(trx: Kysely<Database>, plans: readonly RedemptionPlan[]) {
	const inserter = new BulkInserter();
	const entries = await inserter.insertReturning(
		trx,
		'ledger_entries',
		plans.map((plan) => plan.ledger),
		['id', 'event_id']
	);
	const entryIds = new Map(entries.map((row) => [row.event_id!, row.id]));
	await inserter.insert(
		trx,
		'stock_movements',
		plans.flatMap((plan) => plan.movements)
	);
	await inserter.insert(
		trx,
		'review_flags',
		plans.flatMap((plan) =>
			plan.flags.map((flag) => ({ ...flag, ledger_entry_id: entryIds.get(plan.event.id)! }))
		)
	);
}

/** Reads what the batch's valid events refer to, in one go. */
async function loadBatchFacts(
	trx: Kysely<Database>,
	communityId: number,
	events: RedemptionEvent[]
) {
	const residentIds = events.map((event) => event.payload.residentId);
	const itemIds = [...new Set(events.flatMap((event) => event.payload.lines.map((l) => l.itemId)))];
	const residents = await loadResidentFacts(trx, communityId, residentIds);
	const items = new Map<number, ItemState>();
	const stocks = await itemStocks(trx, itemIds);
	for (const ids of chunked(itemIds)) {
		const rows = await trx
			.selectFrom('items')
			.selectAll()
			.where('community_id', '=', communityId)
			.where('id', 'in', ids)
			.execute();
		for (const row of rows) items.set(row.id, { row, stock: stocks.get(row.id) ?? 0 });
	}
	return { residents, items };
}

async function answeredBefore(trx: Kysely<Database>, ids: string[]) {
	const answers = new Map<string, { deviceId: string; result: PushResult }>();
	for (const chunk of chunked([...new Set(ids)])) {
		const rows = await trx
			.selectFrom('received_events')
			.select(['id', 'device_id', 'result'])
			.where('id', 'in', chunk)
			.execute();
		for (const row of rows) {
			answers.set(row.id, {
				deviceId: row.device_id,
				result: JSON.parse(row.result) as PushResult
			});
		}
	}
	return answers;
}

function asDuplicate(first: PushResult): PushResult {
	return first.status === 'rejected' ? first : { ...first, status: 'duplicate' };
}

/**
 * Applies a batch pushed by `device` and answers each event: applied, duplicate (with the first
 * answer) or rejected with a reason. Never throws for a bad event; throws only when the database
 * itself fails, in which case nothing of the batch was kept and the device simply retries.
 */
export async function applyPushBatch(
	db: Kysely<Database>,
	device: DeviceRow,
	request: PushRequest,
	now: Date = new Date()
): Promise<PushResponse> {
	try {
		return await applyInOneTransaction(db, device, request, now, 'whole batch');
	} catch (error) {
		if (!(error instanceof BatchWriteRefused)) throw error;
		if (isStorageFull(error.cause)) throw error.cause;
		// Nothing of the first try was kept (its transaction rolled back): start over, writing
		// each event in its own savepoint so only the event the database refuses is rejected.
		console.error('push: batch write failed, applying event by event', error.cause);
		return applyInOneTransaction(db, device, request, now, 'event by event');
	}
}

/** The database refused the batch's multi-row write; the caller retries event by event. */
class BatchWriteRefused extends Error {
	constructor(cause: unknown) {
		super('the batch write failed', { cause });
	}
}

async function applyInOneTransaction(
	db: Kysely<Database>,
	device: DeviceRow,
	request: PushRequest,
	now: Date,
	writeMode: 'whole batch' | 'event by event'
): Promise<PushResponse> {
	const recordedAt = now.toISOString();
	const triaged = request.events.map((element) => triage(element, device));
	const outcomes: Outcome[] = new Array(triaged.length);

	const trx: ControlledTransaction<Database> = await db.startTransaction().execute();
	try {
		const earlier = await answeredBefore(
			trx,
			triaged.filter((t) => t.kind === 'owned').map((t) => t.id)
		);
		const firstIndexOfId = new Map<string, number>();
		const fresh: number[] = [];
		triaged.forEach((t, index) => {
			if (t.kind === 'refused') {
				outcomes[index] = { status: 'rejected', rejection: t.rejection, keepInReceived: false };
				return;
			}
			const before = earlier.get(t.id);
			if (before && before.deviceId !== device.id) {
				outcomes[index] = {
					status: 'rejected',
					rejection: { reason: 'id_conflict', message: '另一台设备已经用过这个事件编号' },
					keepInReceived: false
				};
			} else if (before) {
				outcomes[index] = { status: 'answered', result: asDuplicate(before.result) };
			} else if (firstIndexOfId.has(t.id)) {
				outcomes[index] = { status: 'same_as', index: firstIndexOfId.get(t.id)! };
			} else {
				firstIndexOfId.set(t.id, index);
				fresh.push(index);
			}
		});

		await refuseReusedDeviceSeqs(trx, device, triaged, fresh, outcomes);

		// Shop-mode events (apply-shop.ts) apply after the batch's redemptions are written, so a
		// void finds a redemption pushed in the same batch.
		const shopEventAt = (index: number): ShopEvent | null => {
			const t = triaged[index]!;
			return t.kind === 'owned' && t.event && t.event.type !== 'redemption' ? t.event : null;
		};
		const shopIndexes = fresh.filter((index) => shopEventAt(index) !== null);
		const redemptionIndexes = fresh.filter((index) => shopEventAt(index) === null);
		const validEvents = redemptionIndexes.flatMap((index) => {
			const t = triaged[index]!;
			return t.kind === 'owned' && t.event?.type === 'redemption' ? [t.event] : [];
		});
		const { residents, items } = await loadBatchFacts(trx, device.community_id, validEvents);
		const touchedResidents = new Set<number>();
		const touchedItems = new Set<number>();
		const startingBalances = new Map([...residents].map(([id, r]) => [id, r.balance]));
		const startingStocks = new Map([...items].map(([id, item]) => [id, item.stock]));

		// Work out every valid event's rows in memory, in batch order, so balances (and with them
		// the overdrawn flag) move exactly as if each event were applied one after another.
		const planFor = (index: number): RedemptionPlan | null => {
			const t = triaged[index] as Extract<Triaged, { kind: 'owned' }>;
			if (!t.event || t.event.type !== 'redemption') {
				outcomes[index] = { status: 'rejected', rejection: t.invalid!, keepInReceived: true };
				return null;
			}
			const resident = residents.get(t.event.payload.residentId);
			const rejection = checkRedemption(t.event, resident, items);
			if (rejection || !resident) {
				outcomes[index] = { status: 'rejected', rejection: rejection!, keepInReceived: true };
				return null;
			}
			return planRedemption(index, device, t.event, resident, items, recordedAt);
		};
		const markApplied = (plan: RedemptionPlan) => {
			touchedResidents.add(plan.resident.id);
			for (const movement of plan.movements) touchedItems.add(movement.item_id);
			outcomes[plan.index] = {
				status: 'applied',
				touched: plan.touched,
				flagged: plan.flags.length > 0
			};
		};

		const plans: RedemptionPlan[] = [];
		for (const index of redemptionIndexes) {
			const plan = planFor(index);
			if (!plan) continue;
			takeEffect(plan, items);
			plans.push(plan);
		}

		// Fast path: all the batch's rows in a few statements, with no savepoint (a savepoint
		// makes SQLite keep a copy of every page the batch changes). Until here the transaction
		// only read, so should the database refuse any row, rolling it all back loses nothing;
		// applyPushBatch then starts over event by event.
		if (writeMode === 'whole batch') {
			try {
				await writePlans(trx, plans);
			} catch (batchError) {
				throw new BatchWriteRefused(batchError);
			}
			for (const plan of plans) markApplied(plan);
		} else {
			for (const [id, balance] of startingBalances) residents.get(id)!.balance = balance;
			for (const [id, stock] of startingStocks) items.get(id)!.stock = stock;
			for (const index of redemptionIndexes) {
				const plan = planFor(index);
				if (!plan) continue;
				const savepoint = await trx.savepoint('event').execute();
				try {
					await writePlans(savepoint, [plan]);
					await savepoint.releaseSavepoint('event').execute();
					takeEffect(plan, items);
					markApplied(plan);
				} catch (error) {
					// No room is no fault of the event: fail the whole push, the device retries.
					if (isStorageFull(error)) throw error;
					await savepoint.rollbackToSavepoint('event').execute();
					await savepoint.releaseSavepoint('event').execute();
					console.error('push: event failed to apply', plan.event.id, error);
					outcomes[index] = {
						status: 'rejected',
						rejection: {
							reason: 'invalid_event',
							message: '服务器无法处理这个事件，已保留待办公室查看'
						},
						keepInReceived: false
					};
				}
			}
		}

		const shop = await applyShopEvents(
			trx,
			device,
			shopIndexes.map((index) => ({ index, event: shopEventAt(index)! })),
			validEvents,
			now
		);
		for (const [index, outcome] of shop.outcomes) outcomes[index] = outcome;
		const changes: EntityChange[] = [
			...(await shopChanges(trx, device.community_id, shop.touched)),
			// An entity a shop event touched was just read back whole by shopChanges.
			...[...touchedResidents]
				.filter((id) => !shop.touched.has(changeKey('resident', id)))
				.map((id): EntityChange => ({
					entity: 'resident',
					entityId: id,
					data: residentSnapshot(residents.get(id)!)
				})),
			...[...touchedItems]
				.filter((id) => !shop.touched.has(changeKey('item', id)))
				.map((id): EntityChange => {
					const item = items.get(id)!;
					return { entity: 'item', entityId: id, data: itemSnapshot(item.row, item.stock) };
				})
		];
		const seqs = await recordChanges(trx, device.community_id, changes, now);

		const results: PushResult[] = new Array(triaged.length);
		const receivedRows: Database['received_events'][] = [];
		const rejectedRows: Array<Omit<Database['rejected_events'], 'id'>> = [];
		triaged.forEach((t, index) => {
			const outcome = outcomes[index]!;
			if (outcome.status === 'same_as') return;
			if (outcome.status === 'answered') {
				results[index] = outcome.result;
				return;
			}
			if (outcome.status === 'applied') {
				// A closing without differences touches nothing: seq 0, nothing to wait for.
				const seq = Math.max(0, ...outcome.touched.map((key) => seqs.get(key) ?? 0));
				results[index] = outcome.flagged
					? { id: t.id, status: 'applied', seq, flagged: true }
					: { id: t.id, status: 'applied', seq };
			} else {
				results[index] = { id: t.id, status: 'rejected', ...outcome.rejection };
			}
			const body = JSON.stringify(t.body) ?? 'null';
			if (t.kind === 'owned' && (outcome.status === 'applied' || outcome.keepInReceived)) {
				receivedRows.push({
					id: t.id,
					device_id: device.id,
					community_id: device.community_id,
					type: t.type,
					status: outcome.status,
					result: JSON.stringify(results[index]),
					body,
					received_at: recordedAt,
					device_seq: t.event?.deviceSeq ?? null,
					warning: outcome.status === 'applied' && t.event ? eventOddity(t.event, now) : null
				});
			} else if (outcome.status === 'rejected') {
				rejectedRows.push({
					event_id: t.id || null,
					device_id: device.id,
					community_id: device.community_id,
					reason: outcome.rejection.reason,
					message: outcome.rejection.message,
					body,
					received_at: recordedAt
				});
			}
		});
		outcomes.forEach((outcome, index) => {
			if (outcome.status === 'same_as') results[index] = asDuplicate(results[outcome.index]!);
		});

		const inserter = new BulkInserter();
		await inserter.insert(trx, 'received_events', receivedRows);
		await inserter.insert(trx, 'rejected_events', rejectedRows);
		await trx.commit().execute();
		return {
			results,
			serverTime: recordedAt,
			clockSkewMs: new Date(request.sentAt).getTime() - now.getTime()
		};
	} catch (error) {
		await trx.rollback().execute();
		throw error;
	}
}

/**
 * A device numbers its events 1, 2, 3…: a new event with a number that another event of this
 * device already has (answered before, or earlier in this batch) cannot be true. It is refused
 * and leaves `fresh`; the first event with the number keeps it.
 */
async function refuseReusedDeviceSeqs(
	trx: Kysely<Database>,
	device: DeviceRow,
	triaged: readonly Triaged[],
	fresh: number[],
	outcomes: Outcome[]
) {
	const seqOf = (index: number) => {
		const t = triaged[index]!;
		return t.kind === 'owned' ? (t.event?.deviceSeq ?? null) : null;
	};
	const seqs = fresh.map(seqOf).filter((seq): seq is number => seq !== null);
	const taken = new Set<number>();
	for (const chunk of chunked([...new Set(seqs)])) {
		const rows = await trx
			.selectFrom('received_events')
			.select('device_seq')
			.where('device_id', '=', device.id)
			.where('device_seq', 'in', chunk)
			.execute();
		for (const row of rows) taken.add(row.device_seq!);
	}
	const kept = fresh.filter((index) => {
		const seq = seqOf(index);
		if (seq === null) return true;
		if (!taken.has(seq)) {
			taken.add(seq);
			return true;
		}
		outcomes[index] = {
			status: 'rejected',
			rejection: {
				reason: 'invalid_event',
				message: `设备序号 ${seq} 已被本设备的另一个事件使用`
			},
			keepInReceived: false
		};
		return false;
	});
	fresh.splice(0, fresh.length, ...kept);
}
