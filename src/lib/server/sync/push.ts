import * as v from 'valibot';
import type { ControlledTransaction, Kysely } from 'kysely';
import { DeviceEventSchema, EventEnvelopeSchema, type DeviceEvent } from '$lib/protocol/events';
import type { PushRequest, PushResponse, PushResult } from '$lib/protocol/sync';
import { chunked } from '../db/chunks';
import { isStorageFull } from '../db/connection';
import type { Database, DeviceRow, ReviewFlagKind } from '../db/schema';
import {
	applyEvent,
	constraintRejection,
	Refusal,
	touchedChanges,
	type ApplyContext,
	type Rejection
} from './apply-event';
import { recordChanges } from './change-feed';
import { eventOddity } from './event-oddities';
import { nestsDeeperThan } from './nesting';

/*
 * Applying a pushed batch: one database transaction, and each event in it, in batch order, in
 * its own savepoint through the one `applyEvent` of its type (apply-event.ts). An event that is
 * refused or fails rolls back alone (one bad event never fails the batch); a full disk fails the
 * whole push, which the device simply retries. The feed gets one new row per resident and item
 * the batch moved, and each event answers the seq that carries its effect. The answers go out
 * only after the single commit made all of them durable.
 */

const KNOWN_EVENT_TYPES = new Set<string>(
	DeviceEventSchema.options.map((o) => o.entries.type.literal)
);

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

type Outcome =
	| { status: 'applied'; touched: string[]; flags: ReviewFlagKind[]; warning?: string }
	| { status: 'rejected'; rejection: Rejection; keepInReceived: boolean }
	| { status: 'answered'; result: PushResult }
	| { status: 'same_as'; index: number };

const COULD_NOT_APPLY: Rejection = {
	reason: 'invalid_event',
	message: '服务器无法处理这个事件，已保留待办公室查看'
};

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
	const triaged = request.events.map((element) => triage(element, device));
	const trx = await db.startTransaction().execute();
	try {
		const results = await answerBatch(trx, device, triaged, now);
		await trx.commit().execute();
		return {
			results,
			serverTime: now.toISOString(),
			clockSkewMs: new Date(request.sentAt).getTime() - now.getTime()
		};
	} catch (error) {
		await trx.rollback().execute();
		throw error;
	}
}

async function answerBatch(
	trx: ControlledTransaction<Database>,
	device: DeviceRow,
	triaged: readonly Triaged[],
	now: Date
): Promise<PushResult[]> {
	const outcomes: Outcome[] = new Array(triaged.length);
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

	const context: ApplyContext = {
		trx,
		device,
		recordedAt: now.toISOString(),
		appliedRedemptions: new Map(),
		communityKeys: new Map()
	};
	const touched = new Set<string>();
	for (const index of fresh) {
		const t = triaged[index] as Extract<Triaged, { kind: 'owned' }>;
		if (!t.event) {
			outcomes[index] = { status: 'rejected', rejection: t.invalid!, keepInReceived: true };
			continue;
		}
		outcomes[index] = await applyInSavepoint(trx, context, t.event);
		const outcome = outcomes[index];
		if (outcome.status === 'applied') for (const key of outcome.touched) touched.add(key);
	}

	const seqs = await recordChanges(
		trx,
		device.community_id,
		await touchedChanges(trx, device.community_id, touched),
		now
	);
	return writeAnswers(trx, device, triaged, outcomes, seqs, now);
}

/** One event in its own savepoint: applied, or rolled back alone with its reason. */
async function applyInSavepoint(
	trx: ControlledTransaction<Database>,
	context: ApplyContext,
	event: DeviceEvent
): Promise<Outcome> {
	const savepoint = await trx.savepoint('event').execute();
	try {
		const applied = await applyEvent({ ...context, trx: savepoint }, event);
		await savepoint.releaseSavepoint('event').execute();
		return { status: 'applied', ...applied };
	} catch (error) {
		// No room is no fault of the event: fail the whole push, the device retries.
		if (isStorageFull(error)) throw error;
		await savepoint.rollbackToSavepoint('event').execute();
		await savepoint.releaseSavepoint('event').execute();
		context.appliedRedemptions.delete(event.id);
		const rejection = error instanceof Refusal ? error.rejection : constraintRejection(error);
		if (!rejection) console.error('push: event failed to apply', event.id, error);
		// A refusal is the event's answer for good; a failure of ours may be retried.
		return {
			status: 'rejected',
			rejection: rejection ?? COULD_NOT_APPLY,
			keepInReceived: rejection !== null
		};
	}
}

/** Turns the outcomes into answers, and keeps them: received_events and rejected_events. */
async function writeAnswers(
	trx: Kysely<Database>,
	device: DeviceRow,
	triaged: readonly Triaged[],
	outcomes: readonly Outcome[],
	seqs: ReadonlyMap<string, number>,
	now: Date
): Promise<PushResult[]> {
	const recordedAt = now.toISOString();
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
			results[index] =
				outcome.flags.length > 0
					? { id: t.id, status: 'applied', seq, flagged: true, flags: outcome.flags }
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
				warning:
					outcome.status === 'applied' && t.event ? appliedWarning(outcome, t.event, now) : null
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
	for (const rows of chunked(receivedRows, 100)) {
		await trx.insertInto('received_events').values(rows).execute();
	}
	for (const rows of chunked(rejectedRows, 100)) {
		await trx.insertInto('rejected_events').values(rows).execute();
	}
	return results;
}

/** What the office should know about an applied event: its oddities, and what applying found. */
function appliedWarning(
	outcome: Extract<Outcome, { status: 'applied' }>,
	event: DeviceEvent,
	now: Date
): string | null {
	const notes = [eventOddity(event, now), outcome.warning].filter((note) => note);
	return notes.length > 0 ? notes.join('；') : null;
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
