/**
 * The evening count and close (盘点日结) as one flow: open the books into a count sheet, refuse to
 * close while a row is uncounted or a difference has no reason, ask a manager when the
 * difference is large, and when the books moved meanwhile take the new ones and say what to
 * count again. `CountScreen.svelte` renders it and calls `close()`.
 */
import { benchMark, benchMarkAfterPaint } from '$lib/terminal/bench-marks';
import { CountSheet } from './count-sheet.svelte';
import type { ShopPort, ShopStaff } from './shop-port';
import type { DayReport } from './shop-report';
import type { ShopNotice } from './shop-texts';
import { SHOP_DONE_NOTICES, SHOP_WRITE_NOTICES } from './shop-texts';

/** What the flow needs of the shop session it runs in. */
export interface ClosingHost {
	readonly staff: ShopStaff | null;
	/** Changes whenever shop mode is left: an answer for an earlier visit is dropped. */
	readonly visit: number;
	show(notice: ShopNotice): void;
	showReport(report: DayReport): void;
	requestApproval(): Promise<ShopStaff | null>;
}

export class ClosingFlow {
	readonly #port: Pick<ShopPort, 'openClosing' | 'closeDay'>;
	readonly #host: ClosingHost;
	#sheet = $state.raw<CountSheet | null>(null);
	#loadFailed = $state(false);
	#closing = $state(false);

	constructor(port: Pick<ShopPort, 'openClosing' | 'closeDay'>, host: ClosingHost) {
		this.#port = port;
		this.#host = host;
	}

	/** The count being entered; null until the books are open. */
	get sheet(): CountSheet | null {
		return this.#sheet;
	}
	get loadFailed(): boolean {
		return this.#loadFailed;
	}
	get closing(): boolean {
		return this.#closing;
	}

	async open(): Promise<void> {
		try {
			this.#sheet = new CountSheet(await this.#port.openClosing());
			// The benchmark's "open the closing screen" runs from the tap to this sheet painted.
			benchMarkAfterPaint('closing-painted');
		} catch {
			this.#loadFailed = true;
		}
	}

	async close(): Promise<void> {
		const count = this.#sheet;
		const host = this.#host;
		const staff = host.staff;
		if (!count || this.#closing || !staff) return;
		if (count.uncounted.length > 0) {
			return host.show(
				SHOP_DONE_NOTICES.uncounted(count.uncounted.length, count.uncounted[0]?.line.name)
			);
		}
		if (count.missingReasons.length > 0) return host.show(SHOP_WRITE_NOTICES.needs_reason);
		const visit = host.visit;
		let approver: ShopStaff | null = null;
		if (count.needsApproval) {
			approver = await host.requestApproval();
			if (!approver || visit !== host.visit) return;
		}
		this.#closing = true;
		try {
			const outcome = await this.#port.closeDay({
				staffId: staff.id,
				...(approver ? { approverStaffId: approver.id } : {}),
				counts: count.entries()
			});
			if (visit !== host.visit) return;
			if (outcome.ok) {
				benchMark('day-closed');
				return host.showReport(outcome.report);
			}
			if (outcome.problem === 'changed_since_opened') return await this.#recount(count);
			host.show(SHOP_WRITE_NOTICES[outcome.problem]);
		} finally {
			this.#closing = false;
		}
	}

	/** A redemption or movement came in while counting: take the new books, recount what moved. */
	async #recount(count: CountSheet): Promise<void> {
		const changed = count.reopen(await this.#port.openClosing());
		this.#host.show(SHOP_DONE_NOTICES.changedSinceOpened(changed));
	}
}
