import { stripScannerWhitespace } from '$lib/domain/credential';
import { DEFAULT_TIME_ZONE } from '$lib/domain/business-date';
import { clockText } from '$lib/domain/zoned-time';
import { benchMarkAfterPaint } from '$lib/terminal/bench-marks';
import { ClosingFlow } from './closing-flow.svelte';
import type { DayReport } from './shop-report';
import type {
	DayReportSummary,
	LossReason,
	PinCheck,
	ShopAttention,
	ShopPort,
	ShopStaff,
	ShopWriteOutcome,
	StockLine,
	VoidableRedemption
} from './shop-port';
import {
	SHOP_DONE_NOTICES,
	SHOP_WRITE_NOTICES,
	STAFF_CARD_NOTICES,
	type ShopNotice
} from './shop-texts';

/** The shop-mode screens, after the staff card and PIN. */
export type ShopPage =
	'home' | 'receive' | 'loss' | 'stock' | 'void' | 'count' | 'report' | 'reports' | 'voice';
/** `card`: waiting for a staff card; `pin`: a staff card was read, its PIN is asked. */
export type ShopScreen = 'card' | 'pin' | ShopPage;

export interface ShopSessionOptions {
	port: ShopPort;
	/** Shop mode closes after this long without a touch (default 2 minutes). */
	idleMs?: number;
	now?: () => number;
	/** The community's time zone (from the pulled community snapshot): every time shown is in it. */
	timeZone?: () => string;
}

/** A second staff member (a manager) confirming a large count difference with card and PIN. */
export interface Approval {
	candidate: ShopStaff | null;
	error: string | null;
}

export const PIN_MAX_DIGITS = 8;
const TICK_MS = 500;

/**
 * The shopkeeper's visit to shop mode, from the staff card to 退出店员模式. Who is signed in, the
 * screen shown and the report on it live here in memory only: leaving, or two minutes without a
 * touch, forgets all of it and the kiosk is back at the attract screen.
 */
export class ShopSession {
	readonly #port: ShopPort;
	readonly #idleMs: number;
	readonly #now: () => number;
	readonly #timeZone: () => string;

	#screen = $state<ShopScreen | null>(null);
	#candidate = $state.raw<ShopStaff | null>(null);
	#staff = $state.raw<ShopStaff | null>(null);
	#pinError = $state<string | null>(null);
	/** The card's PIN is locked out: the keypad shows as off until a later visit. */
	#pinLocked = $state(false);
	#checking = $state(false);
	#notice = $state.raw<ShopNotice | null>(null);
	#report = $state.raw<DayReport | null>(null);
	#approval = $state.raw<Approval | null>(null);
	/** Bumped whenever shop mode is left, so screens opened before do not write afterwards. */
	#visit = $state(0);

	#approvalDone: ((approver: ShopStaff | null) => void) | null = null;
	#identifying = false;
	#lastActivityAt: number;
	#timer: ReturnType<typeof setInterval> | null = null;

	constructor(options: ShopSessionOptions) {
		this.#port = options.port;
		this.#idleMs = options.idleMs ?? 120_000;
		this.#now = options.now ?? (() => Date.now());
		this.#timeZone = options.timeZone ?? (() => DEFAULT_TIME_ZONE);
		this.#lastActivityAt = this.#now();
	}

	/** The community's time zone, for the times shop mode shows. */
	get timeZone(): string {
		return this.#timeZone();
	}
	/** True from the staff-card prompt until shop mode is left. */
	get active(): boolean {
		return this.#screen !== null;
	}
	get screen(): ShopScreen | null {
		return this.#screen;
	}
	/** The staff member whose card was read and whose PIN is being asked. */
	get candidate(): ShopStaff | null {
		return this.#candidate;
	}
	/** The signed-in staff member: everything in shop mode is recorded in their name. */
	get staff(): ShopStaff | null {
		return this.#staff;
	}
	get pinLocked(): boolean {
		return this.#pinLocked;
	}
	get pinError(): string | null {
		return this.#pinError;
	}
	get checking(): boolean {
		return this.#checking;
	}
	get notice(): ShopNotice | null {
		return this.#notice;
	}
	get report(): DayReport | null {
		return this.#report;
	}
	get approval(): Approval | null {
		return this.#approval;
	}
	get visit(): number {
		return this.#visit;
	}

	/** Starts the idle clock; returns a function that stops it. */
	start(): () => void {
		this.#timer ??= setInterval(() => this.#tick(), TICK_MS);
		return () => {
			if (this.#timer !== null) clearInterval(this.#timer);
			this.#timer = null;
		};
	}

	noteActivity(): void {
		this.#lastActivityAt = this.#now();
	}

	/** 店员模式 on the attract screen: asks for a staff card. */
	openEntry(): void {
		this.noteActivity();
		this.#screen = 'card';
	}

	/**
	 * A card read while shop mode is open, or a staff card read at the attract screen. Opens the
	 * PIN screen for a staff card of this community, and says clearly why any other card does not.
	 */
	async scan(text: string): Promise<void> {
		this.noteActivity();
		if (this.#identifying || this.#checking) return;
		const visit = this.#visit;
		this.#identifying = true;
		try {
			const found = await this.#port.identifyStaff(stripScannerWhitespace(text));
			if (visit !== this.#visit) return;
			if (this.#approval) return this.#approvalCard(found);
			if (!found.ok) {
				if (this.#screen === null) this.#screen = 'card';
				return this.#show(STAFF_CARD_NOTICES[found.problem]);
			}
			if (this.#staff) {
				if (found.staff.id === this.#staff.id) return;
				return this.#show({
					code: 'already_in_shop_mode',
					title: `${this.#staff.name}正在使用店员模式`,
					detail: '换人请先点“退出店员模式”，再扫自己的店员卡。',
					icon: 'info'
				});
			}
			this.#candidate = found.staff;
			this.#notice = null;
			this.#screen = 'pin';
			// Say at once that the card is locked, rather than after the next PIN.
			const until = await this.#port.pinLockedUntil(found.staff.id);
			this.#pinError = until
				? pinRefusal({ ok: false, reason: 'locked', until }, this.timeZone)
				: null;
			this.#pinLocked = until !== null;
		} finally {
			this.#identifying = false;
		}
	}

	/** The PIN typed on the keypad for the staff member whose card was read. */
	async submitPin(pin: string): Promise<void> {
		this.noteActivity();
		const candidate = this.#candidate;
		if (!candidate || this.#checking) return;
		if (pin.length === 0) {
			this.#pinError = '请输入密码';
			return;
		}
		const visit = this.#visit;
		this.#checking = true;
		try {
			const check = await this.#port.checkPin(candidate.id, pin);
			if (visit !== this.#visit) return;
			if (check.ok) {
				this.#staff = candidate;
				this.#candidate = null;
				this.#pinError = null;
				this.#screen = 'home';
				return;
			}
			this.#pinError = pinRefusal(check, this.timeZone);
			this.#pinLocked = isLockout(check);
		} catch {
			this.#pinError = '密码暂时无法核对，请再试一次';
		} finally {
			this.#checking = false;
		}
	}

	go(page: ShopPage): void {
		this.noteActivity();
		if (!this.#staff) return;
		this.#notice = null;
		this.#screen = page;
	}

	showReport(report: DayReport): void {
		this.#report = report;
		this.go('report');
		// The benchmark's "produce the report" ends when it is painted.
		benchMarkAfterPaint('report-painted');
	}

	// What the screens read: each call reads the local books again.
	stock(): Promise<StockLine[]> {
		return this.#port.stock();
	}
	attention(): Promise<ShopAttention> {
		return this.#port.attention();
	}
	voidableRedemptions(): Promise<VoidableRedemption[]> {
		return this.#port.voidableRedemptions();
	}
	dayReports(): Promise<DayReportSummary[]> {
		return this.#port.listDayReports();
	}

	/** Shows an earlier day's report; false when this kiosk has none for that day. */
	async openReport(businessDate: string): Promise<boolean> {
		const visit = this.#visit;
		const report = await this.#port.getDayReport(businessDate);
		if (!report || visit !== this.#visit) return false;
		this.showReport(report);
		return true;
	}

	/** A delivery: every line in the signed-in staff member's name. True once saved. */
	receiveStock(
		lines: readonly { line: StockLine; quantity: number }[],
		note = ''
	): Promise<boolean> {
		const pieces = lines.reduce((sum, entry) => sum + entry.quantity, 0);
		return this.#record(
			(staffId) =>
				this.#port.receiveStock({
					staffId,
					lines: lines.map(({ line, quantity }) => ({ itemId: line.item.id, quantity })),
					...(note.trim() ? { note: note.trim() } : {})
				}),
			SHOP_DONE_NOTICES.received(lines.length, pieces)
		);
	}

	/** Whether an item can be reported lost; says why not when the books hold none of it. */
	canRecordLoss(line: StockLine): boolean {
		if (line.onHand >= 1) return true;
		this.#show(SHOP_DONE_NOTICES.nothingToLose(line.item.name));
		return false;
	}

	recordLoss(line: StockLine, quantity: number, reason: LossReason, note = ''): Promise<boolean> {
		const { item } = line;
		return this.#record(
			(staffId) =>
				this.#port.recordLoss({
					staffId,
					itemId: item.id,
					quantity,
					reason,
					...(note.trim() ? { note: note.trim() } : {})
				}),
			SHOP_DONE_NOTICES.lossRecorded(item.name, quantity, reason)
		);
	}

	/** Voids one of today's redemptions; the void screen stays open to void another. */
	voidRedemption(redemptionId: string, reason: string): Promise<boolean> {
		return this.#record(
			(staffId) => this.#port.voidRedemption({ staffId, redemptionId, reason }),
			SHOP_DONE_NOTICES.voided,
			null
		);
	}

	/** The evening count and close, for the count screen (closing-flow.svelte.ts). */
	startClosing(): ClosingFlow {
		return new ClosingFlow(this.#port, this);
	}

	/**
	 * Runs one write in the signed-in staff member's name and says how it went: the refusal in
	 * words, or `saved` (after going to `then`). Nothing is said once shop mode was left meanwhile.
	 */
	async #record(
		write: (staffId: number) => Promise<ShopWriteOutcome>,
		saved: ShopNotice,
		then: ShopPage | null = 'home'
	): Promise<boolean> {
		const staff = this.#staff;
		if (!staff) return false;
		this.noteActivity();
		const visit = this.#visit;
		const outcome = await write(staff.id);
		if (visit !== this.#visit) return false;
		if (!outcome.ok) {
			this.#show(SHOP_WRITE_NOTICES[outcome.problem]);
			return false;
		}
		if (then) this.go(then);
		this.#show(saved);
		return true;
	}

	show(notice: ShopNotice): void {
		this.#show(notice);
	}

	dismissNotice(): void {
		this.noteActivity();
		this.#notice = null;
	}

	/**
	 * Asks a manager (another staff member) to confirm with card and PIN. Resolves with the
	 * manager, or null when the shopkeeper gave up or shop mode was left.
	 */
	requestApproval(): Promise<ShopStaff | null> {
		this.noteActivity();
		this.#approvalDone?.(null);
		this.#approval = { candidate: null, error: null };
		return new Promise((resolve) => (this.#approvalDone = resolve));
	}

	async submitApproverPin(pin: string): Promise<void> {
		this.noteActivity();
		const approval = this.#approval;
		if (!approval?.candidate || this.#checking) return;
		if (pin.length === 0) {
			this.#approval = { ...approval, error: '请输入密码' };
			return;
		}
		this.#checking = true;
		try {
			const check = await this.#port.checkPin(approval.candidate.id, pin);
			if (this.#approval !== approval) return;
			if (check.ok) return this.#finishApproval(approval.candidate);
			this.#approval = { ...approval, error: pinRefusal(check, this.timeZone) };
		} finally {
			this.#checking = false;
		}
	}

	cancelApproval(): void {
		this.noteActivity();
		this.#finishApproval(null);
	}

	/** 退出店员模式, or idle: back to the attract screen, forgetting everything of the visit. */
	exit(): void {
		this.#finishApproval(null);
		this.#visit++;
		this.#screen = null;
		this.#candidate = null;
		this.#staff = null;
		this.#pinError = null;
		this.#pinLocked = false;
		this.#notice = null;
		this.#report = null;
	}

	#approvalCard(found: Awaited<ReturnType<ShopPort['identifyStaff']>>): void {
		const approval = this.#approval;
		if (!approval) return;
		let error: string | null = null;
		if (!found.ok) error = STAFF_CARD_NOTICES[found.problem].title;
		else if (found.staff.id === this.#staff?.id) error = '需要另一位店员确认，请店长扫自己的卡';
		else if (found.staff.role !== 'manager') error = `${found.staff.name}不是店长，请店长扫卡`;
		this.#approval = error
			? { candidate: approval.candidate, error }
			: { candidate: found.ok ? found.staff : null, error: null };
	}

	#finishApproval(approver: ShopStaff | null): void {
		const done = this.#approvalDone;
		this.#approvalDone = null;
		this.#approval = null;
		done?.(approver);
	}

	#show(notice: ShopNotice): void {
		this.#notice = notice;
	}

	#tick(): void {
		if (this.#screen === null || this.#checking) return;
		if (this.#now() - this.#lastActivityAt >= this.#idleMs) this.exit();
	}
}

function isLockout(check: Exclude<PinCheck, { ok: true }>): boolean {
	return check.reason === 'locked' || (check.reason === 'wrong' && check.triesLeft <= 0);
}

function pinRefusal(check: Exclude<PinCheck, { ok: true }>, timeZone: string): string {
	if (check.reason === 'unknown_staff') return '这位店员已停用，不能进入店员模式';
	if (check.reason === 'locked') {
		return `密码错误次数太多，店员模式已锁定，${clockText(check.until.getTime(), timeZone)} 后可以再试`;
	}
	return check.triesLeft > 0
		? `密码不对，还可以再试 ${check.triesLeft} 次`
		: '密码不对，店员模式已锁定，请稍后再试';
}
