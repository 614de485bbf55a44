/*
 * Bounded concurrency for slow password hashes. scrypt runs on libuv's thread pool (4 threads),
 * the same pool that reads static files from disk: a flood of logins with made-up names once
 * filled it and stalled the kiosk's and TV's pages for a minute. So at most `concurrency` hashes
 * run at once, at most `maxWaiting` wait, and anything past that is turned away at once ("busy,
 * try again") instead of queueing without end.
 *
 * This is module-level state on the server, which STYLE.md otherwise keeps to the database
 * connection: the thread pool it protects is itself per process, so the bound must be too.
 */

/** Thrown by `run` when every slot is taken and the waiting line is full. */
export class HashingBusy extends Error {
	constructor() {
		super('password hashing is busy');
	}
}

export class BoundedConcurrency {
	#running = 0;
	readonly #waiting: Array<() => void> = [];

	constructor(
		readonly concurrency: number,
		readonly maxWaiting: number
	) {}

	/** Runs `task` when a slot is free; throws HashingBusy at once when the line is full. */
	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.#running >= this.concurrency) {
			if (this.#waiting.length >= this.maxWaiting) throw new HashingBusy();
			await new Promise<void>((resolve) => this.#waiting.push(resolve));
		} else {
			this.#running++;
		}
		try {
			return await task();
		} finally {
			// Hand the slot straight to the next in line, or give it back.
			const next = this.#waiting.shift();
			if (next) next();
			else this.#running--;
		}
	}

	/** True when `run` would turn a task away right now. */
	get full(): boolean {
		return this.#running >= this.concurrency && this.#waiting.length >= this.maxWaiting;
	}
}

/**
 * One scrypt hash takes ~140 ms and 32 MB: one at a time leaves three pool threads for files,
 * and ten waiting means an answer within ~1.5 s or a "busy" at once.
 */
export const passwordHashing = new BoundedConcurrency(1, 10);
