import { createSubscriber } from 'svelte/reactivity';
import type { SyncStatus } from '$lib/kiosk/sync-client';
import { CLOCK_SKEW_WARN_MS } from '$lib/protocol/limits';

/** What the counter shows of sync; the engine's own status type. */
export type KioskSyncStatus = SyncStatus;

export interface SyncStatusSource {
	subscribe(listener: () => void): () => void;
	getStatus(): KioskSyncStatus;
}

/** Makes the sync engine's status readable reactively, subscribed only while something reads it. */
export class SyncStatusView {
	readonly #source: SyncStatusSource;
	readonly #track: () => void;

	constructor(source: SyncStatusSource) {
		this.#source = source;
		this.#track = createSubscriber((update) => source.subscribe(update));
	}

	get status(): KioskSyncStatus {
		this.#track();
		return this.#source.getStatus();
	}

	get clockWrong(): boolean {
		const skew = this.status.clockSkewMs;
		return skew !== null && Math.abs(skew) > CLOCK_SKEW_WARN_MS;
	}
}
