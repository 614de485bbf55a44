import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/*
 * The change feed is append-only where it is written (a push, an office action): a new snapshot
 * of an entity is one more row, and its previous row is left for later. Deleting the previous row
 * in the same transaction touched a page of the table and of both its indexes for every resident
 * of a batch (about two thirds of the pages a 500-event push wrote), and a pull skips superseded
 * rows anyway (pull.ts). This removes them in the background once the feed has been quiet for a
 * moment, so the table keeps about one row per entity.
 */

/** Rows of the feed whose entities are looked at per statement. */
const WINDOW_ROWS = 5000;

/**
 * Deletes every row superseded by a row with seq in (after, upTo]: the older snapshots of the
 * entities that changed there. Answers how many rows went.
 */
export async function deleteSupersededBy(
	db: Kysely<Database>,
	after: number,
	upTo: number
): Promise<number> {
	const result = await db
		.deleteFrom('changes')
		.where('seq', 'in', (eb) =>
			eb
				.selectFrom('changes as recent')
				.innerJoin('changes as older', (join) =>
					join
						.onRef('older.community_id', '=', 'recent.community_id')
						.onRef('older.entity', '=', 'recent.entity')
						.onRef('older.entity_id', '=', 'recent.entity_id')
						.onRef('older.seq', '<', 'recent.seq')
				)
				.select('older.seq')
				.where('recent.seq', '>', after)
				.where('recent.seq', '<=', upTo)
		)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

export async function latestFeedSeq(db: Kysely<Database>): Promise<number> {
	const row = await db
		.selectFrom('changes')
		.select((eb) => eb.fn.max('seq').as('seq'))
		.executeTakeFirst();
	return Number(row?.seq ?? 0);
}

export interface FeedCompactorOptions {
	/** How often to look whether the feed moved (ms). Compaction runs once it stood still. */
	checkEveryMs?: number;
	/** On a feed that never stands still, compaction runs anyway this long after the last (ms). */
	atLeastEveryMs?: number;
	now?: () => number;
	/** Waits between two windows, so requests are served in between. */
	yieldBetween?: () => Promise<void>;
}

/**
 * Compacts the feed of one database in the background: every `checkEveryMs` it reads the newest
 * seq, and once that has not moved since the previous look (no push or office change in between),
 * or at the latest `atLeastEveryMs` after its last run on a feed that never stands still, removes
 * the rows superseded by everything written since its last run, window by window. The
 * first run after a start looks at the whole feed. A failure (a full disk) is logged and tried
 * again at the next quiet moment; nothing depends on it but the table's size.
 */
export class FeedCompactor {
	readonly #db: Kysely<Database>;
	readonly #checkEveryMs: number;
	readonly #yield: () => Promise<void>;
	readonly #atLeastEveryMs: number;
	readonly #now: () => number;
	#compactedUpTo = 0;
	#compactedAt: number;
	#seenSeq = -1;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#running = false;

	constructor(db: Kysely<Database>, options: FeedCompactorOptions = {}) {
		this.#db = db;
		this.#checkEveryMs = options.checkEveryMs ?? 2000;
		this.#yield = options.yieldBetween ?? (() => new Promise((resolve) => setImmediate(resolve)));
		this.#atLeastEveryMs = options.atLeastEveryMs ?? 10 * 60_000;
		this.#now = options.now ?? Date.now;
		this.#compactedAt = this.#now();
	}

	start(): void {
		this.#running = true;
		this.#schedule();
	}

	stop(): void {
		this.#running = false;
		clearTimeout(this.#timer);
	}

	#schedule(): void {
		if (!this.#running) return;
		this.#timer = setTimeout(
			() => void this.check().finally(() => this.#schedule()),
			this.#checkEveryMs
		);
		// A timer of housekeeping must not keep the process alive.
		this.#timer.unref?.();
	}

	/**
	 * One look: compacts if the feed stood still since the last look, or if the last compaction
	 * is `atLeastEveryMs` old. Answers rows deleted.
	 */
	async check(): Promise<number> {
		try {
			const latest = await latestFeedSeq(this.#db);
			const quiet = latest === this.#seenSeq;
			const overdue = this.#now() - this.#compactedAt >= this.#atLeastEveryMs;
			this.#seenSeq = latest;
			if ((!quiet && !overdue) || latest <= this.#compactedUpTo) return 0;
			this.#compactedAt = this.#now();
			let deleted = 0;
			while (this.#compactedUpTo < latest) {
				const upTo = Math.min(this.#compactedUpTo + WINDOW_ROWS, latest);
				deleted += await deleteSupersededBy(this.#db, this.#compactedUpTo, upTo);
				this.#compactedUpTo = upTo;
				await this.#yield();
			}
			return deleted;
		} catch (error) {
			console.error('change feed: compaction failed, will try again', error);
			return 0;
		}
	}
}
