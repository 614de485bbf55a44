import type { HistoryEntry } from '$lib/protocol/resident-history';

/*
 * 我的积分记录: the resident's own last entries, fetched from the server with the scanned card's
 * text when they ask, and held here in memory only (never in the kiosk's database). The counter
 * session forgets them with the resident: at 退出, at the idle reset, when the next card opens.
 */

export type HistoryLookup =
	| { ok: true; entries: HistoryEntry[] }
	/** `offline`: no network (the balance and redemptions still work); `failed`: anything else. */
	| { ok: false; problem: 'offline' | 'failed' }
	/** The server refused the card (forged, revoked, moved out): its Chinese sentence. */
	| { ok: false; problem: 'refused'; message: string };

export type OwnHistoryState =
	| { status: 'closed' }
	| { status: 'loading' }
	| { status: 'shown'; entries: readonly HistoryEntry[] }
	| { status: 'unavailable'; problem: 'offline' | 'failed' | 'refused'; message: string | null };

export class OwnHistory {
	readonly #lookup: (credential: string) => Promise<HistoryLookup>;
	#state = $state.raw<OwnHistoryState>({ status: 'closed' });
	/** Bumped whenever the list is forgotten: an answer for an earlier visit is dropped. */
	#generation = 0;

	constructor(lookup: (credential: string) => Promise<HistoryLookup>) {
		this.#lookup = lookup;
	}

	get state(): OwnHistoryState {
		return this.#state;
	}

	get open(): boolean {
		return this.#state.status !== 'closed';
	}

	async show(credential: string): Promise<void> {
		const generation = ++this.#generation;
		this.#state = { status: 'loading' };
		let answer: HistoryLookup;
		try {
			answer = await this.#lookup(credential);
		} catch {
			answer = { ok: false, problem: 'failed' };
		}
		if (generation !== this.#generation) return;
		this.#state = answer.ok
			? { status: 'shown', entries: answer.entries }
			: {
					status: 'unavailable',
					problem: answer.problem,
					message: answer.problem === 'refused' ? answer.message : null
				};
	}

	/** 返回, 退出, the idle reset, the next resident: the list leaves memory. */
	forget(): void {
		this.#generation += 1;
		this.#state = { status: 'closed' };
	}
}

/** "12月3日"; with the year when it is not this year's ("2025年12月3日"). */
export function historyDateLabel(date: string, thisYear: number): string {
	const [year, month, day] = date.split('-').map(Number);
	const label = `${month}月${day}日`;
	return year === thisYear ? label : `${year}年${label}`;
}

/** "+10" / "−5" / "0": the sign is written out, not only coloured. */
export function signedPoints(points: number): string {
	if (points > 0) return `+${points}`;
	if (points < 0) return `−${-points}`;
	return '0';
}
