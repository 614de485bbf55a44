/**
 * The kiosk's sync loop: push the outbox, then pull the change feed, one pass at a time.
 *
 * - Runs after each local commit (`requestSync`), on the browser's `online` event, and on a timer:
 *   every 30 s when healthy, with exponential backoff and jitter (2 s doubling to 5 min) when not.
 * - One pass at a time per device across tabs (Web Locks), and one per engine within a tab.
 * - Outbox rows leave only when the server answered `applied` or `duplicate`; `rejected` ones move
 *   to the attention list. Answers and their local effects are written in one transaction, and
 *   each pulled page with its cursor in one transaction, so a crash at any point is harmless:
 *   the next pass pushes again (the server answers `duplicate`) or pulls the page again.
 * - Status and typed events for the UI (`subscribe`, `getStatus`, `on`).
 */
import { MAX_PUSH_BODY_BYTES, MAX_PUSH_EVENTS, PULL_PAGE_DEFAULT } from '$lib/protocol/limits';
import type {
	CommunitySnapshot,
	ItemSnapshot,
	PullResponse,
	PushResult,
	ResidentSnapshot,
	StaffSnapshot
} from '$lib/protocol/sync';
import { ApiError, type ApiClient, type ApiFailure } from '$lib/terminal/api-client';
import { nextTryDelay } from '$lib/terminal/retry-timer';
import { getMeta, getMetas, type KioskDb, type MetaRow, type OutboxRow } from './local-db';

export const SYNC_LOCK_NAME = 'credit-shop-sync';

export interface SyncStatus {
	/** The last attempt reached the server (and the browser does not say it is offline). */
	online: boolean;
	syncing: boolean;
	/** Events waiting in the outbox. */
	pendingCount: number;
	/** Events the server refused, kept for shop mode. */
	attentionCount: number;
	/** Device time (ISO) of the last pass that pushed and pulled everything. */
	lastSuccessAt: string | null;
	/** Chinese text of the last failure; null after a success. */
	lastError: string | null;
	/** Device clock minus server clock at the last push; null before the first. */
	clockSkewMs: number | null;
	/** The server answered 401 (or the kiosk never enrolled): enroll again before syncing. */
	needsEnrollment: boolean;
}

export type SyncEvent =
	| { type: 'start' }
	| {
			type: 'applied';
			applied: number;
			duplicate: number;
			rejected: number;
			results: PushResult[];
	  }
	| { type: 'pulled'; changes: number; cursor: number; hasMore: boolean }
	| { type: 'error'; failure: SyncFailure; message: string };
export type SyncEventType = SyncEvent['type'];

/** An API failure, or a local one (IndexedDB full, a bug) that is not the server's fault. */
export type SyncFailure = ApiFailure | { kind: 'local'; message: string };

export type SyncPassResult = 'ok' | 'failed' | 'needs_enrollment';

export interface SyncTimers {
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

/** The part of `navigator.locks` the engine uses. */
export interface SyncLocks {
	request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** Where `online` / `offline` events come from (the window in a browser). */
export interface ConnectivityEvents {
	addEventListener(type: 'online' | 'offline', listener: () => void): void;
	removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

export interface SyncEngineOptions {
	db: KioskDb;
	api: ApiClient;
	/** Defaults to the global timers. */
	timers?: SyncTimers;
	/** Defaults to `navigator.locks`; null (or absent, as in Node) runs passes without a lock. */
	locks?: SyncLocks | null;
	/** Defaults to `window` when there is one. */
	connectivity?: ConnectivityEvents | null;
	/** Defaults to `navigator.onLine` (true where unknown). */
	browserOnline?: () => boolean;
	/** Device clock in ms; defaults to Date.now. */
	now?: () => number;
	/** In [0, 1); defaults to Math.random. */
	random?: () => number;
	healthyIntervalMs?: number;
	backoffBaseMs?: number;
	backoffMaxMs?: number;
	pullPageSize?: number;
	/** Bytes of events per push, under the server's body limit with room for the envelope. */
	maxPushBytes?: number;
}

const HEALTHY_INTERVAL_MS = 30_000;
const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 5 * 60_000;

/** Shop-keeper Chinese for what went wrong; the details stay in the event for the logs. */
export function describeSyncFailure(failure: SyncFailure): string {
	switch (failure.kind) {
		case 'network':
			return '连不上服务器，兑换记录先保存在本机，联网后自动上传';
		case 'unauthorized':
			return '本机的登记已失效，请工作人员重新登记本机';
		case 'http':
			if (failure.code === 'storage_full') {
				return '服务器存储空间已满，兑换记录保存在本机，请联系管理员；稍后自动重试';
			}
			return failure.status >= 500
				? `服务器出错（${failure.status}），稍后自动重试`
				: `服务器拒绝了同步（${failure.status} ${failure.code}），稍后自动重试`;
		case 'invalid_response':
			return '服务器的回答无法识别，稍后自动重试';
		case 'local':
			return `本机数据出错：${failure.message}`;
	}
}

class NeedsEnrollment extends Error {}

/** A listener that throws must not break the sync pass that told it something. */
function notify<T>(listener: (value: T) => void, value: T): void {
	try {
		listener(value);
	} catch (error) {
		console.error('sync listener failed', error);
	}
}

function isPullWorthTrying(pushFailure: unknown): boolean {
	return (
		pushFailure instanceof ApiError &&
		pushFailure.kind !== 'network' &&
		pushFailure.kind !== 'unauthorized'
	);
}

export class SyncEngine {
	readonly #db: KioskDb;
	readonly #api: ApiClient;
	readonly #timers: SyncTimers;
	readonly #locks: SyncLocks | null;
	readonly #connectivity: ConnectivityEvents | null;
	readonly #browserOnline: () => boolean;
	readonly #now: () => number;
	readonly #random: () => number;
	readonly #healthyIntervalMs: number;
	readonly #backoffBaseMs: number;
	readonly #backoffMaxMs: number;
	readonly #pullPageSize: number;
	readonly #maxPushBytes: number;

	#status: SyncStatus = {
		online: false,
		syncing: false,
		pendingCount: 0,
		attentionCount: 0,
		lastSuccessAt: null,
		lastError: null,
		clockSkewMs: null,
		needsEnrollment: false
	};
	readonly #statusListeners = new Set<(status: SyncStatus) => void>();
	readonly #eventListeners = new Map<SyncEventType, Set<(event: SyncEvent) => void>>();

	#started = false;
	#timer: unknown = null;
	#failures = 0;
	#loop: Promise<SyncPassResult> | null = null;
	#again = false;

	constructor(options: SyncEngineOptions) {
		this.#db = options.db;
		this.#api = options.api;
		this.#timers = options.timers ?? {
			setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
			clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>)
		};
		const navigatorLocks = globalThis.navigator?.locks;
		this.#locks =
			options.locks !== undefined
				? options.locks
				: navigatorLocks
					? {
							request: <T>(name: string, callback: () => Promise<T>) =>
								navigatorLocks.request(name, callback) as Promise<T>
						}
					: null;
		this.#connectivity =
			options.connectivity !== undefined
				? options.connectivity
				: typeof window !== 'undefined'
					? window
					: null;
		this.#browserOnline = options.browserOnline ?? (() => globalThis.navigator?.onLine ?? true);
		this.#now = options.now ?? Date.now;
		this.#random = options.random ?? Math.random;
		this.#healthyIntervalMs = options.healthyIntervalMs ?? HEALTHY_INTERVAL_MS;
		this.#backoffBaseMs = options.backoffBaseMs ?? BACKOFF_BASE_MS;
		this.#backoffMaxMs = options.backoffMaxMs ?? BACKOFF_MAX_MS;
		this.#pullPageSize = options.pullPageSize ?? PULL_PAGE_DEFAULT;
		this.#maxPushBytes = options.maxPushBytes ?? Math.floor(MAX_PUSH_BODY_BYTES * 0.9);
	}

	// ── status and events ────────────────────────────────────────────────────────────────────

	getStatus(): SyncStatus {
		return this.#status;
	}

	/** Called with the new status on every change; answers the unsubscribe function. */
	subscribe(listener: (status: SyncStatus) => void): () => void {
		this.#statusListeners.add(listener);
		return () => this.#statusListeners.delete(listener);
	}

	on<T extends SyncEventType>(
		type: T,
		listener: (event: Extract<SyncEvent, { type: T }>) => void
	): () => void {
		const listeners = this.#eventListeners.get(type) ?? new Set();
		this.#eventListeners.set(type, listeners);
		const untyped = listener as (event: SyncEvent) => void;
		listeners.add(untyped);
		return () => listeners.delete(untyped);
	}

	/** True when a redemption now counts as offline (and falls under the offline limits). */
	isOffline(): boolean {
		return !this.#status.online || !this.#browserOnline();
	}

	#setStatus(change: Partial<SyncStatus>): void {
		this.#status = { ...this.#status, ...change };
		for (const listener of this.#statusListeners) notify(listener, this.#status);
	}

	#emit(event: SyncEvent): void {
		for (const listener of this.#eventListeners.get(event.type) ?? []) notify(listener, event);
	}

	/** Reloads counts and remembered sync facts from the database (after a local commit too). */
	async refresh(): Promise<void> {
		const [pendingCount, attentionCount, meta] = await Promise.all([
			this.#db.outbox.count(),
			this.#db.attention.count(),
			getMetas(this.#db, [
				'device',
				'needsEnrollment',
				'lastSuccessAt',
				'lastSyncError',
				'clockSkewMs'
			] as const)
		]);
		this.#setStatus({
			pendingCount,
			attentionCount,
			needsEnrollment: !meta.device || meta.needsEnrollment === true,
			lastSuccessAt: meta.lastSuccessAt ?? null,
			lastError: meta.lastSyncError ?? null,
			clockSkewMs: meta.clockSkewMs ?? null
		});
	}

	// ── lifecycle ────────────────────────────────────────────────────────────────────────────

	readonly #onOnline = (): void => {
		this.#failures = 0;
		this.requestSync();
	};

	readonly #onOffline = (): void => {
		this.#setStatus({ online: false });
	};

	/** Listens to connectivity, loads the status, and syncs now and then on the timer. */
	start(): void {
		if (this.#started) return;
		this.#started = true;
		this.#connectivity?.addEventListener('online', this.#onOnline);
		this.#connectivity?.addEventListener('offline', this.#onOffline);
		this.requestSync();
	}

	/** Stops listening and the timer; a pass already running finishes. */
	stop(): void {
		this.#started = false;
		this.#connectivity?.removeEventListener('online', this.#onOnline);
		this.#connectivity?.removeEventListener('offline', this.#onOffline);
		this.#clearTimer();
	}

	/** Asks for a pass soon (after each local commit); never throws, never waits. */
	requestSync(): void {
		// Show the new outbox count at once, not only when the pass ends.
		this.refresh().catch(() => undefined);
		this.syncNow().catch(() => {
			// Failures are in the status and the 'error' event already.
		});
	}

	/**
	 * Runs passes until no new request arrived during the last one; answers the last result. A
	 * call while a pass runs joins it and makes it go round once more.
	 */
	syncNow(): Promise<SyncPassResult> {
		if (this.#loop) {
			this.#again = true;
			return this.#loop;
		}
		this.#clearTimer();
		this.#loop = this.#runLoop().finally(() => {
			this.#loop = null;
		});
		return this.#loop;
	}

	async #runLoop(): Promise<SyncPassResult> {
		let result: SyncPassResult;
		do {
			this.#again = false;
			result = await this.#lockedPass();
		} while (this.#again && result === 'ok');
		this.#schedule(result);
		return result;
	}

	#lockedPass(): Promise<SyncPassResult> {
		if (!this.#locks) return this.#pass();
		return this.#locks.request(SYNC_LOCK_NAME, () => this.#pass());
	}

	#clearTimer(): void {
		if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
		this.#timer = null;
	}

	#schedule(result: SyncPassResult): void {
		this.#clearTimer();
		if (!this.#started || result === 'needs_enrollment') return;
		if (result === 'ok') this.#failures = 0;
		else this.#failures += 1;
		const delay = nextTryDelay(this.#failures, {
			healthyMs: this.#healthyIntervalMs,
			baseMs: this.#backoffBaseMs,
			maxMs: this.#backoffMaxMs,
			random: this.#random
		});
		this.#timer = this.#timers.setTimeout(() => {
			this.#timer = null;
			this.requestSync();
		}, delay);
	}

	/** Failed passes in a row (drives the backoff); 0 after a success. */
	get consecutiveFailures(): number {
		return this.#failures;
	}

	// ── one pass ─────────────────────────────────────────────────────────────────────────────

	async #pass(): Promise<SyncPassResult> {
		this.#setStatus({ syncing: true });
		this.#emit({ type: 'start' });
		try {
			const { device, needsEnrollment } = await getMetas(this.#db, [
				'device',
				'needsEnrollment'
			] as const);
			if (!device || needsEnrollment) throw new NeedsEnrollment();
			const pushFailure = await this.#pushAll(device.token).then(
				() => null,
				(error: unknown) => error
			);
			// A server that refuses our pushes (a bug, a body it will not take) must still be able
			// to bring revocations and prices: pull anyway, unless it is unreachable or we are
			// locked out. Until the ack arrives a redemption may count twice: on the safe side.
			if (pushFailure && !isPullWorthTrying(pushFailure)) throw pushFailure;
			await this.#pullAll(device.token);
			if (pushFailure) throw pushFailure;
			const lastSuccessAt = new Date(this.#now()).toISOString();
			await this.#db.meta.bulkPut([
				{ key: 'lastSuccessAt', value: lastSuccessAt },
				{ key: 'lastSyncError', value: null }
			]);
			this.#setStatus({ online: this.#browserOnline(), lastSuccessAt, lastError: null });
			return 'ok';
		} catch (error) {
			return await this.#failed(error);
		} finally {
			await this.refresh().catch(() => undefined);
			this.#setStatus({ syncing: false });
		}
	}

	async #failed(error: unknown): Promise<SyncPassResult> {
		if (error instanceof NeedsEnrollment) {
			this.#setStatus({ needsEnrollment: true });
			return 'needs_enrollment';
		}
		const failure: SyncFailure =
			error instanceof ApiError
				? error.failure
				: { kind: 'local', message: error instanceof Error ? error.message : String(error) };
		const message = describeSyncFailure(failure);
		const rows: MetaRow[] = [{ key: 'lastSyncError', value: message }];
		if (failure.kind === 'unauthorized') rows.push({ key: 'needsEnrollment', value: true });
		await this.#db.meta.bulkPut(rows).catch(() => undefined);
		this.#setStatus({
			online: failure.kind !== 'network' && this.#browserOnline(),
			lastError: message,
			...(failure.kind === 'unauthorized' ? { needsEnrollment: true } : {})
		});
		this.#emit({ type: 'error', failure, message });
		return failure.kind === 'unauthorized' ? 'needs_enrollment' : 'failed';
	}

	// ── push ─────────────────────────────────────────────────────────────────────────────────

	async #nextBatch(): Promise<OutboxRow[]> {
		const rows = await this.#db.outbox.orderBy('deviceSeq').limit(MAX_PUSH_EVENTS).toArray();
		const batch: OutboxRow[] = [];
		let bytes = 0;
		for (const row of rows) {
			bytes += JSON.stringify(row.event).length + 1;
			if (batch.length > 0 && bytes > this.#maxPushBytes) break;
			batch.push(row);
		}
		return batch;
	}

	async #pushAll(token: string): Promise<void> {
		for (;;) {
			const batch = await this.#nextBatch();
			if (batch.length === 0) return;
			let response;
			try {
				response = await this.#api.push(token, {
					events: batch.map((row) => row.event),
					sentAt: new Date(this.#now()).toISOString()
				});
			} catch (error) {
				// With the browser offline the request never left the device: rewriting every row of
				// the batch (up to 500 after days offline) on each pass would only load the disk.
				if (this.#browserOnline()) await this.#noteAttempt(batch, error).catch(() => undefined);
				throw error;
			}
			this.#setStatus({ online: true, clockSkewMs: response.clockSkewMs });
			const settled = await applyPushResults(
				this.#db,
				batch,
				response.results,
				response.clockSkewMs,
				new Date(this.#now()).toISOString()
			);
			const count = (status: PushResult['status']) =>
				response.results.filter((r) => r.status === status).length;
			this.#emit({
				type: 'applied',
				applied: count('applied'),
				duplicate: count('duplicate'),
				rejected: count('rejected'),
				results: response.results
			});
			// A server that answers none of the batch would make this loop spin; try again later.
			if (settled === 0) {
				throw new ApiError({ kind: 'invalid_response', message: 'push answered no event' });
			}
		}
	}

	async #noteAttempt(batch: readonly OutboxRow[], error: unknown): Promise<void> {
		const lastError = error instanceof Error ? error.message.slice(0, 200) : String(error);
		await this.#db.outbox
			.where('eventId')
			.anyOf(batch.map((row) => row.eventId))
			.modify((row) => {
				row.attempts += 1;
				row.lastError = lastError;
			});
	}

	// ── pull ─────────────────────────────────────────────────────────────────────────────────

	async #pullAll(token: string): Promise<void> {
		let cursor = (await getMeta(this.#db, 'cursor')) ?? 0;
		let asked = this.#api.pull(token, cursor, this.#pullPageSize);
		for (;;) {
			const page = await asked;
			// The push tells the skew too, but a kiosk with nothing to push must learn it as well.
			this.#setStatus({ online: true, clockSkewMs: this.#now() - Date.parse(page.serverTime) });
			if (page.hasMore && page.cursor <= cursor) {
				throw new ApiError({ kind: 'invalid_response', message: 'pull cursor did not advance' });
			}
			// The next page is asked for while this one is written, so the server reads and sends
			// it meanwhile (a first pull of 100,000 residents is 100 pages). Should this page fail
			// to be written, the pass ends and that answer is simply dropped.
			if (page.hasMore) {
				asked = this.#api.pull(token, page.cursor, this.#pullPageSize);
				asked.catch(() => undefined);
			}
			await applyPullPage(this.#db, page, new Date(this.#now()).toISOString());
			this.#emit({
				type: 'pulled',
				changes: page.changes.length,
				cursor: page.cursor,
				hasMore: page.hasMore
			});
			if (!page.hasMore) {
				await this.#db.meta.put({ key: 'clockSkewMs', value: this.#status.clockSkewMs ?? 0 });
				return;
			}
			cursor = page.cursor;
		}
	}
}

/**
 * Writes the server's answers to one pushed batch in one transaction: applied and duplicate
 * events leave the outbox and their redemptions become synced with the ack seq; rejected ones
 * move to the attention list and their redemptions become rejected. Answers the number of
 * events settled; those without an answer stay in the outbox with one more attempt.
 */
export async function applyPushResults(
	db: KioskDb,
	batch: readonly OutboxRow[],
	results: readonly PushResult[],
	clockSkewMs: number,
	at: string
): Promise<number> {
	const rows = new Map(batch.map((row) => [row.eventId, row]));
	let settled = 0;
	const tables = [
		db.outbox,
		db.redemptions,
		db.attention,
		db.meta,
		db.stockMovements,
		db.voids,
		db.dayClosings
	];
	await db.transaction('rw', tables, async () => {
		for (const result of results) {
			const row = rows.get(result.id);
			if (!row) continue;
			rows.delete(result.id);
			settled += 1;
			if (result.status === 'rejected') {
				await db.attention.put({
					eventId: row.eventId,
					event: row.event,
					reason: result.reason,
					message: result.message,
					at
				});
			}
			await settleLocalRecords(db, row, result);
			await db.outbox.delete(row.eventId);
		}
		const unanswered = [...rows.keys()];
		if (unanswered.length > 0) {
			await db.outbox
				.where('eventId')
				.anyOf(unanswered)
				.modify((row) => {
					row.attempts += 1;
					row.lastError = 'no answer for this event';
				});
		}
		await db.meta.bulkPut([
			{ key: 'clockSkewMs', value: clockSkewMs },
			{ key: 'lastPushAt', value: at }
		]);
	});
	return settled;
}

/**
 * Marks the local records an event wrote as synced (with the seq whose pull reflects them) or
 * rejected (they stop counting: the server never took them).
 */
async function settleLocalRecords(db: KioskDb, row: OutboxRow, result: PushResult): Promise<void> {
	const change =
		result.status === 'rejected'
			? { status: 'rejected' as const }
			: { status: 'synced' as const, ackSeq: result.seq };
	switch (row.event.type) {
		case 'redemption':
			// Answered, it leaves the pending index (pendingItemIds) whatever the answer.
			await db.redemptions.update(
				row.eventId,
				result.status === 'rejected'
					? { ...change, pendingItemIds: undefined }
					: {
							...change,
							flagged: result.flagged === true,
							flags: result.flags,
							pendingItemIds: undefined
						}
			);
			return;
		case 'void':
			await db.voids.update(row.eventId, change);
			// A refused void gave nothing back: the redemption stands again and may be voided anew.
			if (result.status === 'rejected') {
				await db.redemptions
					.where('eventId')
					.equals(row.event.payload.redemptionId)
					.modify((redemption) => {
						if (redemption.voidEventId === row.eventId) delete redemption.voidEventId;
					});
			}
			break;
		case 'dayClose':
			await db.dayClosings.where('eventId').equals(row.eventId).modify(change);
			break;
		case 'stockReceipt':
		case 'stockLoss':
			break;
	}
	await db.stockMovements.update(row.eventId, change);
}

/**
 * Applies one pulled page and its cursor in one transaction. `lastPullAt` moves only with the
 * last page: a kiosk half-way through a long first pull is not yet up to date.
 */
export async function applyPullPage(db: KioskDb, page: PullResponse, at: string): Promise<void> {
	const residents: ResidentSnapshot[] = [];
	const items: ItemSnapshot[] = [];
	const staff: StaffSnapshot[] = [];
	let community: CommunitySnapshot | null = null;
	for (const change of page.changes) {
		if (change.entity === 'resident') residents.push(change.data);
		else if (change.entity === 'item') items.push(change.data);
		else if (change.entity === 'staff') staff.push(change.data);
		else community = change.data;
	}
	await db.transaction('rw', [db.meta, db.residents, db.items, db.staff], async () => {
		if (residents.length > 0) await db.residents.bulkPut(residents);
		if (items.length > 0) await db.items.bulkPut(items);
		if (staff.length > 0) await db.staff.bulkPut(staff);
		const meta: MetaRow[] = [{ key: 'cursor', value: page.cursor }];
		if (community) meta.push({ key: 'community', value: community });
		if (!page.hasMore) meta.push({ key: 'lastPullAt', value: at });
		// Renamed in the office: the day reports this kiosk prints from now on carry the new name.
		const device = page.deviceName ? await getMeta(db, 'device') : undefined;
		if (device && page.deviceName && device.name !== page.deviceName) {
			meta.push({ key: 'device', value: { ...device, name: page.deviceName } });
		}
		await db.meta.bulkPut(meta);
	});
}
