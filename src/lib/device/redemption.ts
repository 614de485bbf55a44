/**
 * Recording a redemption at the counter. The redemption, its outbox event and the deviceSeq
 * counter are written in ONE Dexie transaction that first re-checks every rule against the data
 * it reads, so a double tap or a second tab can never spend the same points twice, and a crash
 * leaves either all of it or none of it. Stock is computed on read from pending redemptions
 * (see balances.ts), so the redemption record is also the local stock movement.
 *
 * The tap is quick because most reads happen before it: `prepareRedemption` reads when the
 * resident is asked to confirm, and the tap's transaction checks only that the decision token
 * (decision-token.ts) did not move since. Without usable prepared reads, the transaction reads
 * everything, its writes sent in the same round from guesses that are checked before commit.
 */
import { redemptionTotal } from '$lib/domain/ledger';
import { shopBusinessDate } from '$lib/domain/shop-business-date';
import { decideRedemption, type RedemptionRefusal } from '$lib/domain/offline-limits';
import { uuidv7 } from '$lib/domain/uuid';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '$lib/protocol/limits';
import type { RedemptionEvent } from '$lib/protocol/events';
import {
	ackedAheadOfCursor,
	movementQuantities,
	pendingQuantities,
	pendingRedemptions,
	spentOfflineToday,
	unreflectedMovements,
	unreflectedPointsOf,
	unreflectedVoidPointsOf
} from './balances';
import { DECISION_TOKEN_KEY } from './decision-token';
import {
	getAllMetas,
	newOutboxRow,
	type ItemRow,
	type KioskDb,
	type MetaValues,
	type ResidentRow,
	type RedemptionRecord
} from './local-db';

export interface RedemptionLineInput {
	itemId: number;
	quantity: number;
	/** The price the resident saw on screen; the server charges this one. */
	unitPoints: number;
	/**
	 * The name the resident saw. Optional; when every line has it, the writes can go out with the
	 * reads (see `recordRedemption`), and the record still keeps the name the kiosk's data has.
	 */
	name?: string;
}

export interface RedemptionInput {
	residentId: number;
	/** The serial of the card that was scanned. */
	cardSerial: number;
	lines: readonly RedemptionLineInput[];
	/** True when the kiosk cannot reach the server now (`SyncEngine.isOffline()`). */
	offline: boolean;
	/** Device time; defaults to now. */
	now?: Date;
}

export type RedemptionProblem =
	| RedemptionRefusal
	| 'not_enrolled'
	| 'unknown_resident'
	| 'moved_out'
	| 'unknown_item'
	| 'inactive_item'
	| 'invalid_cart';

export type RedemptionOutcome =
	| {
			ok: true;
			redemption: RedemptionRecord;
			event: RedemptionEvent;
			/** The resident's available balance after this redemption. */
			available: number;
	  }
	| { ok: false; problem: RedemptionProblem };

/** Thrown inside the transaction to roll it back with a reason the caller turns into a result. */
class Refused extends Error {
	constructor(readonly problem: RedemptionProblem) {
		super(problem);
	}
}

/** Thrown inside the transaction to roll back writes made from guesses that turned out wrong. */
class GuessedWrong extends Error {}

function validLines(lines: readonly RedemptionLineInput[]): boolean {
	if (lines.length < 1 || lines.length > MAX_CART_LINES) return false;
	const seen = new Set<number>();
	for (const line of lines) {
		if (seen.has(line.itemId)) return false;
		seen.add(line.itemId);
		if (!Number.isInteger(line.quantity) || line.quantity < 1) return false;
		if (line.quantity > MAX_LINE_QUANTITY) return false;
		if (!Number.isInteger(line.unitPoints) || line.unitPoints < 0) return false;
	}
	return true;
}

/** What the last redemption on a database found: the next one starts from these guesses. */
interface SeenMeta {
	cursor: number;
	timeZone: string;
	lastClosedDate: string | undefined;
	deviceId: string;
	/** The deviceSeq counter as that redemption left it. */
	deviceSeq: number;
}
const lastSeen = new WeakMap<KioskDb, SeenMeta>();

/** Reads made when the resident was asked to confirm, and the token they were made under. */
interface PreparedReads {
	token: string | undefined;
	reads: DecisionReads;
}
const prepared = new WeakMap<KioskDb, PreparedReads>();

/** What the last redemption on a database would have found. */
function seenIn(meta: Partial<MetaValues>): SeenMeta | null {
	const { device, community } = meta;
	if (!device || !community) return null;
	return {
		cursor: meta.cursor ?? 0,
		timeZone: community.timeZone,
		lastClosedDate: meta.lastClosedDate,
		deviceId: device.deviceId,
		deviceSeq: meta.deviceSeq ?? 0
	};
}

/**
 * Called once the kiosk is open, so that the first redemption after a start is as quick as the
 * rest: reads the guesses it would otherwise make without (a guess read too early is only
 * checked and corrected, never trusted), and runs the confirm question's reads once for no one
 * (nothing is written, and a tap never uses reads made for another resident), so the first
 * resident's tap runs code that has run before. Measured: the first of 30 commits took 19–22 ms
 * without the second part, 12–16 ms with it.
 */
export async function readRedemptionGuesses(db: KioskDb): Promise<void> {
	if (!prepared.has(db)) await prepareRedemption(db, 0, []);
}

/** The reads of a redemption's re-check that depend on the pull cursor and the business day. */
async function readsAtCursorAndDay(db: KioskDb, residentId: number, cursor: number, day: string) {
	const [ackedAhead, spentToday, movements, voidedBack] = await Promise.all([
		ackedAheadOfCursor(db, cursor),
		spentOfflineToday(db, residentId, day),
		unreflectedMovements(db, cursor),
		unreflectedVoidPointsOf(db, residentId, cursor)
	]);
	return { ackedAhead, spentToday, movements, voidedBack };
}

/**
 * The redemption's writes, made from values that are either read or guessed. Item names come
 * from the lines; the caller checks them against the items read.
 */
function redemptionRecords(
	input: RedemptionInput,
	now: Date,
	known: { deviceId: string; deviceSeq: number; day: string; names: readonly string[] }
): { event: RedemptionEvent; redemption: RedemptionRecord } {
	const totalPoints = redemptionTotal(input.lines);
	const occurredAt = now.toISOString();
	const event: RedemptionEvent = {
		id: uuidv7(now.getTime()),
		deviceId: known.deviceId,
		deviceSeq: known.deviceSeq,
		occurredAt,
		type: 'redemption',
		payload: {
			residentId: input.residentId,
			cardSerial: input.cardSerial,
			lines: input.lines.map(({ itemId, quantity, unitPoints }) => ({
				itemId,
				quantity,
				unitPoints
			})),
			totalPoints,
			offline: input.offline,
			businessDate: known.day
		}
	};
	const redemption: RedemptionRecord = {
		eventId: event.id,
		deviceSeq: known.deviceSeq,
		residentId: input.residentId,
		cardSerial: input.cardSerial,
		lines: input.lines.map(({ itemId, quantity, unitPoints }, i) => ({
			itemId,
			name: known.names[i]!,
			quantity,
			unitPoints
		})),
		totalPoints,
		occurredAt,
		businessDate: known.day,
		offline: input.offline,
		status: 'pending',
		ackSeq: null,
		flagged: false
	};
	return { event, redemption };
}

function writeRedemption(
	db: KioskDb,
	records: { event: RedemptionEvent; redemption: RedemptionRecord }
): Promise<unknown> {
	// Issued together: IndexedDB runs them in order within the transaction anyway.
	return Promise.all([
		db.meta.put({ key: 'deviceSeq', value: records.event.deviceSeq }),
		db.redemptions.add(records.redemption),
		db.outbox.add(newOutboxRow(records.event))
	]);
}

const TABLES = (db: KioskDb) => [
	db.meta,
	db.residents,
	db.items,
	db.redemptions,
	db.outbox,
	db.stockMovements,
	db.voids
];

/** Everything a redemption's decision reads, for one resident and some items. */
interface DecisionReads {
	residentId: number;
	meta: Partial<MetaValues>;
	resident: ResidentRow | undefined;
	/** By item id; an id missing from the map was not read. */
	items: Map<number, ItemRow | undefined>;
	allPending: RedemptionRecord[];
	/** Read at `cursor` and `day`. */
	atCursorAndDay: Awaited<ReturnType<typeof readsAtCursorAndDay>>;
	cursor: number;
	day: string;
}

interface Decided {
	seen: SeenMeta;
	known: { deviceId: string; deviceSeq: number; day: string; names: string[] };
	/** The resident's available balance after this redemption. */
	available: number;
}

/**
 * The rules applied to what was read: a refusal is thrown, and 'stale' means the reads do not
 * fit this redemption (another resident's, its items not read, or the cursor or day moved).
 */
function decide(reads: DecisionReads, input: RedemptionInput, now: Date): Decided | 'stale' {
	const { meta, resident } = reads;
	const { community } = meta;
	const seen = seenIn(meta);
	if (!seen || !community || meta.needsEnrollment) throw new Refused('not_enrolled');
	// After the day is closed on this kiosk, redemptions belong to the next business day.
	const day = shopBusinessDate(now, community.timeZone, meta.lastClosedDate);
	if (day !== reads.day || seen.cursor !== reads.cursor) return 'stale';
	if (reads.residentId !== input.residentId) return 'stale';
	if (input.lines.some((line) => !reads.items.has(line.itemId))) return 'stale';
	if (!resident) throw new Refused('unknown_resident');
	// A pull may mark the resident moved out while they stand at the counter.
	if (resident.active === false) throw new Refused('moved_out');
	const items: ItemRow[] = [];
	for (const line of input.lines) {
		const item = reads.items.get(line.itemId);
		if (!item) throw new Refused('unknown_item');
		if (!item.active) throw new Refused('inactive_item');
		items.push(item);
	}

	const { allPending } = reads;
	const { ackedAhead, spentToday, movements, voidedBack } = reads.atCursorAndDay;
	const residentPending = allPending.filter((r) => r.residentId === resident.id);
	const handedOut = pendingQuantities([...allPending, ...ackedAhead]);
	const moved = movementQuantities(movements);
	const unreflectedPoints = unreflectedPointsOf(resident.id, {
		pending: residentPending,
		ackedAhead,
		voidedBack
	});
	const totalPoints = redemptionTotal(input.lines);
	const decision = decideRedemption({
		totalPoints,
		availablePoints: resident.balance - unreflectedPoints,
		lines: input.lines.map((line, i) => {
			const item = items[i]!;
			return {
				quantity: line.quantity,
				stockTracked: item.stockTracked,
				stockAvailable: item.stock - (handedOut.get(item.id) ?? 0) + (moved.get(item.id) ?? 0)
			};
		}),
		offline: input.offline,
		offlineDailyLimit: community.offlineDailyLimit,
		spentOfflineToday: spentToday,
		lastPullAt: meta.lastPullAt ?? null,
		offlineMaxAgeHours: community.offlineMaxAgeHours,
		now
	});
	if (!decision.allowed) throw new Refused(decision.reason);
	return {
		seen,
		known: {
			deviceId: seen.deviceId,
			deviceSeq: seen.deviceSeq + 1,
			day,
			names: items.map((item) => item.name)
		},
		available: resident.balance - unreflectedPoints - totalPoints
	};
}

/**
 * Reads what the redemption of these items by this resident will decide on, for the tap that
 * may follow: called when the resident is asked to confirm. The tap then reads only the decision
 * token (decision-token.ts): unchanged, these reads are what it would read; changed, it reads
 * everything again. Never needed for correctness, so a failure here is only a slower tap.
 */
export async function prepareRedemption(
	db: KioskDb,
	residentId: number,
	itemIds: readonly number[],
	now: Date = new Date()
): Promise<void> {
	prepared.delete(db);
	const ready = await db.transaction('r', TABLES(db), async () => {
		const [meta, resident, items, allPending] = await Promise.all([
			getAllMetas(db),
			db.residents.get(residentId),
			db.items.bulkGet([...itemIds]),
			pendingRedemptions(db)
		]);
		if (!meta.community) return null;
		// The guesses of the reading path, for a first redemption with nothing prepared.
		const seen = seenIn(meta);
		if (seen && !lastSeen.has(db)) lastSeen.set(db, seen);
		const cursor = meta.cursor ?? 0;
		const day = shopBusinessDate(now, meta.community.timeZone, meta.lastClosedDate);
		const atCursorAndDay = await readsAtCursorAndDay(db, residentId, cursor, day);
		const reads: DecisionReads = {
			residentId,
			meta,
			resident,
			items: new Map(itemIds.map((id, i) => [id, items[i]])),
			allPending,
			atCursorAndDay,
			cursor,
			day
		};
		return { token: meta.decisionToken, reads };
	});
	if (ready) prepared.set(db, ready);
}

export async function recordRedemption(
	db: KioskDb,
	input: RedemptionInput
): Promise<RedemptionOutcome> {
	if (!validLines(input.lines)) return { ok: false, problem: 'invalid_cart' };
	const now = input.now ?? new Date();
	const ready = prepared.get(db);
	prepared.delete(db);
	// Each attempt either records the redemption, refuses it, or finds a guess wrong and rolls
	// back; the last one guesses nothing.
	const attempts: Array<() => Promise<RedemptionOutcome>> = [
		() => redemptionTransaction(db, input, now, true),
		() => redemptionTransaction(db, input, now, false)
	];
	if (ready && ready.reads.residentId === input.residentId) {
		attempts.unshift(() => preparedTransaction(db, input, now, ready));
	}
	try {
		for (const [i, attempt] of attempts.entries()) {
			try {
				return await db.transaction('rw', TABLES(db), attempt);
			} catch (error) {
				if (!(error instanceof GuessedWrong) || i === attempts.length - 1) throw error;
			}
		}
		throw new Error('unreachable');
	} catch (error) {
		if (error instanceof Refused) return { ok: false, problem: error.problem };
		throw error;
	}
}

/**
 * The attempt on prepared reads, inside the transaction: the token is read and the writes go
 * out in one round. Decided on the prepared reads, with the tap's time and connection; the
 * token, read before the writes, says whether those reads still hold. If not, the writes roll
 * back (so does a refusal, which is trusted only under an unchanged token either way).
 */
async function preparedTransaction(
	db: KioskDb,
	input: RedemptionInput,
	now: Date,
	ready: PreparedReads
): Promise<RedemptionOutcome> {
	const token = db.meta.get(DECISION_TOKEN_KEY).then((row) => row?.value);
	let decided: Decided | 'stale';
	try {
		decided = decide(ready.reads, input, now);
	} catch (error) {
		if (error instanceof Refused && (await token) !== ready.token) throw new GuessedWrong();
		throw error;
	}
	if (decided === 'stale') throw new GuessedWrong();
	const records = redemptionRecords(input, now, decided.known);
	const written = writeRedemption(db, records);
	// Awaited below once the token holds; otherwise the rollback is its outcome.
	written.catch(() => undefined);
	if ((await token) !== ready.token) throw new GuessedWrong();
	await written;
	lastSeen.set(db, { ...decided.seen, deviceSeq: decided.known.deviceSeq });
	const { redemption, event } = records;
	return { ok: true, redemption, event, available: decided.available };
}

/**
 * An attempt that reads, inside the transaction. Every read is issued in one round. Those that
 * depend on the pull cursor and the business day use the ones the previous redemption found
 * (they move only with a pull or a closing) and run again in a second round only if those
 * changed. With `writeAhead`, and the previous redemption's device and counter as guesses, the
 * writes go out in that same round too: IndexedDB runs a transaction's requests in the order
 * they were made, so the reads before them do not see them. Every guess and the whole decision
 * are then checked against what was read; a refusal or a wrong guess rolls the writes back.
 */
async function redemptionTransaction(
	db: KioskDb,
	input: RedemptionInput,
	now: Date,
	writeAhead: boolean
): Promise<RedemptionOutcome> {
	const guess = lastSeen.get(db);
	const guessedDay = guess ? shopBusinessDate(now, guess.timeZone, guess.lastClosedDate) : null;
	const itemIds = input.lines.map((line) => line.itemId);
	const reads = Promise.all([
		Promise.all([
			getAllMetas(db),
			db.residents.get(input.residentId),
			db.items.bulkGet(itemIds),
			pendingRedemptions(db)
		]),
		guess && guessedDay !== null
			? readsAtCursorAndDay(db, input.residentId, guess.cursor, guessedDay)
			: Promise.resolve(null)
	]);
	const names = input.lines.map((line) => line.name);
	const ahead =
		writeAhead && guess && guessedDay !== null && names.every((name) => name !== undefined)
			? redemptionRecords(input, now, {
					deviceId: guess.deviceId,
					deviceSeq: guess.deviceSeq + 1,
					day: guessedDay,
					names
				})
			: null;
	const aheadWritten = ahead ? writeRedemption(db, ahead) : null;
	// Awaited below once the guesses hold; otherwise the rollback is its outcome.
	aheadWritten?.catch(() => undefined);

	const [[meta, resident, items, allPending], guessed] = await reads;
	const seen = seenIn(meta);
	if (!seen || !meta.community || meta.needsEnrollment) throw new Refused('not_enrolled');
	lastSeen.set(db, seen);
	const day = shopBusinessDate(now, meta.community.timeZone, meta.lastClosedDate);
	const guessesHeld = guessed !== null && guess?.cursor === seen.cursor && guessedDay === day;
	// Read again now, after the early writes, the day's redemptions would include this one.
	if (!guessesHeld && ahead) throw new GuessedWrong();
	const atCursorAndDay = guessesHeld
		? guessed
		: await readsAtCursorAndDay(db, input.residentId, seen.cursor, day);
	const decided = decide(
		{
			residentId: input.residentId,
			meta,
			resident,
			items: new Map(itemIds.map((id, i) => [id, items[i]])),
			allPending,
			atCursorAndDay,
			cursor: seen.cursor,
			day
		},
		input,
		now
	);
	// Read just now at the cursor and day it computes from the same meta: never stale.
	if (decided === 'stale') throw new Error('redemption reads out of step');

	let records = ahead;
	if (records && aheadWritten) {
		const { event, redemption } = records;
		const { known } = decided;
		const held =
			event.deviceId === known.deviceId &&
			event.deviceSeq === known.deviceSeq &&
			redemption.businessDate === known.day &&
			redemption.lines.every((line, i) => line.name === known.names[i]) &&
			// Had a read come after the writes, it would have seen this redemption.
			!allPending.some((r) => r.eventId === event.id);
		if (!held) throw new GuessedWrong();
		await aheadWritten;
	} else {
		records = redemptionRecords(input, now, decided.known);
		await writeRedemption(db, records);
	}
	seen.deviceSeq = decided.known.deviceSeq;
	return {
		ok: true,
		redemption: records.redemption,
		event: records.event,
		available: decided.available
	};
}
