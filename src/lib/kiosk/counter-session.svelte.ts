import {
	addToCart,
	cartTotal,
	itemAvailability,
	quantityInCart,
	setQuantity,
	type Cart
} from '$lib/domain/cart';
import { parseCredential, stripScannerWhitespace } from '$lib/domain/credential';
import type { CameraPace } from '$lib/scanner';
import { ENROLL_QR_PREFIX, normalizeEnrollCode } from '$lib/protocol/devices';
import type { EarnRuleSummary, ItemSnapshot } from '$lib/protocol/sync';
import type {
	CommunityLoading,
	CounterCartLine,
	CounterPort,
	CounterResident
} from './counter-port';
import { benchMark, benchMarkAfterPaint } from '$lib/terminal/bench-marks';
import { PROBLEM_TEXTS, type CounterProblem } from './counter-problems';
import type { CounterMoment } from './spoken-prompts';
import { OwnHistory } from './own-history.svelte';

export type CounterScreen = 'starting' | 'setup' | 'attract' | 'resident' | 'success';

export interface CounterMessage {
	problem: CounterProblem;
}

export interface RedemptionSuccess {
	newBalance: number;
	totalPoints: number;
}

export type ItemUnavailableReason = 'out_of_stock' | 'not_enough_points' | 'offline_daily_limit';

export interface ItemAvailability {
	/** True when one more of it can go into the cart now. */
	available: boolean;
	reason: ItemUnavailableReason | null;
	inCart: number;
	/** Stock not yet in the cart; null for services and courses. */
	stockLeft: number | null;
	/** For `not_enough_points`: how many more points one more of it would need. */
	pointsShort: number;
	/** For `offline_daily_limit`: the points one resident may spend a day while offline. */
	offlineDailyLimit: number | null;
}

export interface CounterSessionOptions {
	port: CounterPort;
	/** Whether this kiosk holds a device token; null while that is not known yet. */
	isEnrolled: () => boolean | null;
	idleMs?: number;
	/** How long before the idle reset 还在吗？ is asked (at most half the idle time). */
	idleWarningMs?: number;
	/**
	 * A staff card read at the attract screen goes here (shop mode) instead of the counter. On
	 * any other screen it is explained as 'staff_card' and the resident's visit stays open.
	 */
	onStaffCard?: (text: string) => void | Promise<void>;
	successMs?: number;
	messageMs?: number;
	now?: () => number;
	/** Told each moment a resident should hear (card read, refusal, success), once (语音播报). */
	announce?: (moment: CounterMoment) => void;
}

const ENROLL_CODE_DIGITS = 8;
const TICK_MS = 250;
/** While the first pull runs, how often a waiting card asks whether the community has loaded. */
const LOADING_POLL_MS = 1_000;
/**
 * A redemption commits in a few milliseconds; 正在兑换… appears only if it takes longer than this.
 * Changing the screen at the tap would make the browser lay out and paint a frame before the
 * transaction's first answers can reach it.
 */
const REDEEMING_SHOWN_AFTER_MS = 150;

/**
 * One resident's visit at the counter, from scan to thanks. Holds the open resident and cart in
 * memory only, and forgets them on exit, on idle and after a redemption.
 */
export class CounterSession {
	readonly #port: CounterPort;
	readonly #isEnrolled: () => boolean | null;
	readonly #idleMs: number;
	readonly #idleWarningMs: number;
	readonly #onStaffCard: ((text: string) => void | Promise<void>) | null;
	readonly #successMs: number;
	readonly #messageMs: number;
	readonly #now: () => number;
	readonly #announce: (moment: CounterMoment) => void;
	/** 我的积分记录 of the resident at the counter; forgotten with them. */
	readonly history: OwnHistory;

	#screen = $state<'attract' | 'resident' | 'success'>('attract');
	#resident = $state.raw<CounterResident | null>(null);
	#items = $state.raw<readonly ItemSnapshot[]>([]);
	#cart = $state.raw<Cart<ItemSnapshot>>([]);
	#category = $state<string | null>(null);
	#confirming = $state(false);
	/** A redemption is being committed: taps and scans wait (not shown; see `redeeming`). */
	#redeeming = false;
	#redeemingShown = $state(false);
	#pendingSwitch = $state.raw<CounterResident | null>(null);
	#message = $state.raw<CounterMessage | null>(null);
	#success = $state.raw<RedemptionSuccess | null>(null);
	#communityName = $state<string | null>(null);
	#earnRules = $state.raw<readonly EarnRuleSummary[]>([]);
	#enrolling = $state(false);
	#enrollError = $state<string | null>(null);
	#confirmingExit = $state(false);
	/** Whole seconds until the idle reset, while 还在吗？ is shown; null otherwise. */
	#idleSecondsLeft = $state<number | null>(null);
	/**
	 * When the visit ends unless 还在吗？ is answered. Once asked, only an answer (a tap on the
	 * warning, a card) takes it away: hiding it at the touch itself would let the tap fall through
	 * to the item card beneath.
	 */
	#idleEndsAt: number | null = null;
	/** Items the resident could afford when the visit opened: shown first, in a stable order. */
	#affordableAtOpen = $state.raw<readonly number[]>([]);
	/** A card read before the first pull finished: read again once the community has loaded. */
	#waitingCard: string | null = null;
	#loading = $state.raw<CommunityLoading | null>(null);
	#loadingPolledAt = 0;
	#loadingPollInFlight = false;

	#lastActivityAt: number;
	#returnAt: number | null = null;
	#scanInFlight = false;
	#timer: ReturnType<typeof setInterval> | null = null;

	#cartTotal = $derived(cartTotal(this.#cart));
	#categories = $derived(
		this.#items
			.map((item) => item.category)
			.filter((category, index, all) => all.indexOf(category) === index)
	);

	#visible = $derived.by(() => {
		const category = this.selectedCategory;
		const inCategory = this.#items.filter((item) => item.category === category);
		const affordable = inCategory.filter((item) => this.#affordableAtOpen.includes(item.id));
		const rest = inCategory.filter((item) => !this.#affordableAtOpen.includes(item.id));
		return { items: [...affordable, ...rest], affordableCount: affordable.length };
	});

	constructor(options: CounterSessionOptions) {
		this.#port = options.port;
		this.#isEnrolled = options.isEnrolled;
		this.#idleMs = options.idleMs ?? 60_000;
		this.#idleWarningMs = Math.min(options.idleWarningMs ?? 10_000, this.#idleMs / 2);
		this.#onStaffCard = options.onStaffCard ?? null;
		this.#successMs = options.successMs ?? 6_000;
		this.#messageMs = options.messageMs ?? 8_000;
		this.#now = options.now ?? (() => Date.now());
		this.#announce = options.announce ?? (() => undefined);
		this.#lastActivityAt = this.#now();
		this.history = new OwnHistory((credential) => this.#port.residentHistory(credential));
	}

	get screen(): CounterScreen {
		const enrolled = this.#isEnrolled();
		if (enrolled === null) return 'starting';
		if (!enrolled) return 'setup';
		return this.#screen;
	}
	get resident(): CounterResident | null {
		return this.#resident;
	}
	get communityName(): string | null {
		return this.#communityName;
	}
	/** How to earn points: the first rules of the points list, as the lobby TV shows them. */
	get earnRules(): readonly EarnRuleSummary[] {
		return this.#earnRules;
	}
	get categories(): readonly string[] {
		return this.#categories;
	}
	/** The chosen tab, else the first one with something the resident can afford. */
	get selectedCategory(): string | null {
		if (this.#category !== null) return this.#category;
		const affordable = this.#items.find((item) => this.#affordableAtOpen.includes(item.id));
		return affordable?.category ?? this.#categories[0] ?? null;
	}
	/**
	 * What the resident could afford when the visit opened comes first; the order then stays put
	 * while the cart fills, so a card never jumps away from under a finger.
	 */
	get visibleItems(): readonly ItemSnapshot[] {
		return this.#visible.items;
	}
	/** How many of the visible items lead the list as affordable (the rest are out of reach). */
	get affordableCount(): number {
		return this.#visible.affordableCount;
	}
	/**
	 * Most of the shop is out of reach: the counter shows how to earn points instead of a wall
	 * of 积分不足.
	 */
	get fewPoints(): boolean {
		const inStock = this.#items.filter((item) => !item.stockTracked || item.stock > 0);
		return inStock.length > 0 && this.#affordableAtOpen.length * 2 < inStock.length;
	}
	get cartLines(): readonly CounterCartLine[] {
		return this.#cart;
	}
	get cartTotal(): number {
		return this.#cartTotal;
	}
	/** What the resident may spend now: the balance, or less while the kiosk is offline. */
	get spendable(): number {
		const resident = this.#resident;
		if (!resident) return 0;
		return Math.min(resident.balance, resident.offlineSpendLeft ?? Infinity);
	}
	get remainingBalance(): number {
		return (this.#resident?.balance ?? 0) - this.#cartTotal;
	}
	get confirming(): boolean {
		return this.#confirming;
	}
	/** Show 正在兑换… and keep the dialog's buttons disabled: a commit is taking its time. */
	get redeeming(): boolean {
		return this.#redeemingShown;
	}
	get pendingSwitch(): CounterResident | null {
		return this.#pendingSwitch;
	}
	get message(): CounterMessage | null {
		return this.#message;
	}
	get success(): RedemptionSuccess | null {
		return this.#success;
	}
	/** 退出 with goods in the cart: asking whether to leave them. */
	get confirmingExit(): boolean {
		return this.#confirmingExit;
	}
	/** Seconds left before the idle reset while 还在吗？ is shown; null when it is not. */
	get idleSecondsLeft(): number | null {
		return this.#idleSecondsLeft;
	}
	/** A card is waiting for the first pull to finish; how far it has come. */
	get loading(): CommunityLoading | null {
		return this.#loading;
	}
	get enrolling(): boolean {
		return this.#enrolling;
	}
	get enrollError(): string | null {
		return this.#enrollError;
	}
	/**
	 * Every frame while waiting for a card; a few a second while a resident is served (a second
	 * card is still noticed); none while the resident confirms or the redemption commits (a
	 * card read then would only interrupt, and a quiet main thread commits sooner).
	 */
	get cameraPace(): CameraPace {
		// Paused on the success screen too: the card just served is usually still in view, and a
		// re-read would replace 兑换成功 with the resident's screen before they could read it.
		if (this.#redeeming || this.#confirming || this.#screen === 'success') return 'paused';
		return this.#screen === 'attract' ? 'every_frame' : 'relaxed';
	}
	/** Nobody at the counter: safe to apply an app update. */
	get idle(): boolean {
		return (
			this.#resident === null &&
			this.#message === null &&
			this.#success === null &&
			this.#loading === null
		);
	}

	availability(item: ItemSnapshot): ItemAvailability {
		const inCart = quantityInCart(this.#cart, item.id);
		const stockLeft = item.stockTracked ? Math.max(0, item.stock - inCart) : null;
		const balance = this.#resident?.balance ?? 0;
		const verdict = itemAvailability(item, this.#cart, this.spendable);
		let reason: ItemUnavailableReason | null = null;
		if (verdict === 'cannot_afford') {
			// Affordable from the balance, but not within today's offline allowance.
			const withinBalance = this.#cartTotal + item.points <= balance;
			reason = withinBalance ? 'offline_daily_limit' : 'not_enough_points';
		} else if (verdict !== 'available') reason = 'out_of_stock';
		const pointsShort = Math.max(0, this.#cartTotal + item.points - balance);
		const offlineDailyLimit = this.#resident?.offlineDailyLimit ?? null;
		return {
			available: reason === null,
			reason,
			inCart,
			stockLeft,
			pointsShort,
			offlineDailyLimit
		};
	}

	/** Starts the idle and auto-return clock; returns a function that stops it. */
	start(): () => void {
		void this.refreshCommunity();
		this.#timer ??= setInterval(() => this.#tick(), TICK_MS);
		return () => {
			if (this.#timer !== null) clearInterval(this.#timer);
			this.#timer = null;
		};
	}

	async refreshCommunity(): Promise<void> {
		const [name, earnRules] = await Promise.all([
			this.#port.communityName(),
			this.#port.earnRules()
		]);
		this.#communityName = name;
		this.#earnRules = earnRules;
	}

	noteActivity(): void {
		this.#lastActivityAt = this.#now();
	}

	/** 继续兑换 (or a tap anywhere on 还在吗？): the visit goes on. */
	stayHere(): void {
		this.noteActivity();
		this.#clearIdleWarning();
	}

	selectCategory(category: string): void {
		this.noteActivity();
		this.#category = category;
	}

	/** Handles text from the camera or the keyboard wedge. */
	async scan(text: string): Promise<void> {
		this.noteActivity();
		// A card read is an answer to 还在吗？ too (the same card, or the next resident's).
		this.#clearIdleWarning();
		const trimmed = stripScannerWhitespace(text);
		if (trimmed.toUpperCase().startsWith(ENROLL_QR_PREFIX)) {
			if (this.#isEnrolled() === false) await this.enroll(trimmed.slice(ENROLL_QR_PREFIX.length));
			return;
		}
		if (this.#scanInFlight || this.#redeeming || this.#isEnrolled() === null) return;
		if (this.#isEnrolled() === false) return this.#show('not_enrolled');
		if (this.#onStaffCard && this.#screen === 'attract' && isStaffCardText(trimmed)) {
			this.#message = null;
			this.#returnAt = null;
			return this.#onStaffCard(trimmed);
		}
		this.#scanInFlight = true;
		try {
			const [lookup, items] = await Promise.all([
				this.#port.lookupCard(trimmed),
				this.#port.listItems()
			]);
			if (!lookup.ok && lookup.problem === 'community_loading') {
				return this.#waitForCommunity(trimmed);
			}
			this.#stopWaitingForCommunity();
			if (!lookup.ok) return this.#show(lookup.problem);
			const current = this.#resident;
			if (current?.id === lookup.resident.id) return;
			if (current && (this.#cart.length > 0 || this.#confirming)) {
				this.#pendingSwitch = lookup.resident;
				return this.#announce({ kind: 'switch_asked' });
			}
			this.#open(lookup.resident, items);
		} finally {
			this.#scanInFlight = false;
		}
	}

	acceptSwitch(): void {
		const next = this.#pendingSwitch;
		if (!next) return;
		this.noteActivity();
		this.#open(next, this.#items);
	}

	declineSwitch(): void {
		this.noteActivity();
		this.#pendingSwitch = null;
	}

	addToCart(itemId: number): void {
		this.noteActivity();
		const item = this.#items.find((candidate) => candidate.id === itemId);
		if (!item || !this.#resident) return;
		const { available, reason, pointsShort } = this.availability(item);
		if (!available) return this.#show(reason ?? 'out_of_stock', pointsShort);
		this.#cart = addToCart(this.#cart, item);
	}

	removeFromCart(itemId: number): void {
		this.noteActivity();
		const line = this.#cart.find((candidate) => candidate.item.id === itemId);
		if (line) this.#cart = setQuantity(this.#cart, line.item, line.quantity - 1);
	}

	askConfirm(): void {
		this.noteActivity();
		if (this.#cart.length === 0 || !this.#resident) return;
		this.#confirming = true;
	}

	cancelConfirm(): void {
		this.noteActivity();
		if (this.#redeeming) return;
		this.#confirming = false;
	}

	async confirm(): Promise<void> {
		const resident = this.#resident;
		if (!resident || !this.#confirming || this.#redeeming) return;
		// The benchmark's "offline redemption commit" runs from here to 'redeem-committed'.
		benchMark('redeem-start');
		this.noteActivity();
		this.#redeeming = true;
		const showRedeeming = setTimeout(() => (this.#redeemingShown = true), REDEEMING_SHOWN_AFTER_MS);
		try {
			const outcome = await this.#port.redeem(resident, this.#cart);
			this.#confirming = false;
			if (!outcome.ok) return this.#show(outcome.problem);
			this.#forgetResident();
			this.#success = { newBalance: outcome.newBalance, totalPoints: outcome.totalPoints };
			this.#screen = 'success';
			this.#returnAt = this.#now() + this.#successMs;
			this.#announce({ kind: 'redeemed', newBalance: outcome.newBalance });
		} catch {
			this.#confirming = false;
			this.#show('redeem_failed');
		} finally {
			clearTimeout(showRedeeming);
			this.#redeeming = false;
			this.#redeemingShown = false;
		}
	}

	/** 我的积分记录: fetched with the scanned card's text, for this resident only. */
	showHistory(): Promise<void> {
		this.noteActivity();
		const resident = this.#resident;
		if (!resident) return Promise.resolve();
		return this.history.show(resident.credential);
	}

	closeHistory(): void {
		this.noteActivity();
		this.history.forget();
	}

	dismissMessage(): void {
		const message = this.#message;
		if (!message) return;
		this.noteActivity();
		if (PROBLEM_TEXTS[message.problem].endsVisit || !this.#resident) return this.exit();
		this.#message = null;
		this.#returnAt = null;
	}

	/** 退出: with goods in the cart, asks first (they would be put back). */
	requestExit(): void {
		this.noteActivity();
		if (this.#cart.length > 0 && this.#resident) this.#confirmingExit = true;
		else this.exit();
	}

	cancelExit(): void {
		this.noteActivity();
		this.#confirmingExit = false;
	}

	/** Stops waiting for the community to load; the card is forgotten. */
	cancelWaiting(): void {
		this.noteActivity();
		this.#stopWaitingForCommunity();
	}

	/** Back to the attract screen, forgetting everything about the last resident. */
	exit(): void {
		this.#stopWaitingForCommunity();
		this.#forgetResident();
		this.#message = null;
		this.#success = null;
		this.#returnAt = null;
		this.#screen = 'attract';
	}

	async enroll(code: string): Promise<void> {
		const digits = normalizeEnrollCode(code);
		if (digits.length !== ENROLL_CODE_DIGITS) {
			this.#enrollError = '登记码是 8 位数字，请检查后重新输入';
			return;
		}
		if (this.#enrolling) return;
		this.#enrolling = true;
		this.#enrollError = null;
		try {
			const outcome = await this.#port.enroll(digits);
			if (outcome.ok) {
				this.exit();
				await this.refreshCommunity();
			} else {
				this.#enrollError = outcome.message;
			}
		} finally {
			this.#enrolling = false;
		}
	}

	clearEnrollError(): void {
		this.#enrollError = null;
	}

	#open(resident: CounterResident, items: readonly ItemSnapshot[]): void {
		this.#items = items.filter((item) => item.active);
		this.#resident = resident;
		this.history.forget();
		const spendable = Math.min(resident.balance, resident.offlineSpendLeft ?? Infinity);
		this.#affordableAtOpen = this.#items
			.filter((item) => item.points <= spendable && (!item.stockTracked || item.stock > 0))
			.map((item) => item.id);
		this.#cart = [];
		this.#category = null;
		this.#confirming = false;
		this.#pendingSwitch = null;
		this.#message = null;
		this.#success = null;
		this.#returnAt = null;
		this.#screen = 'resident';
		this.#announce({ kind: 'card_read', balance: resident.balance });
		// The scan-to-panel benchmark ends when this resident is painted.
		benchMarkAfterPaint('resident-painted');
	}

	/** `pointsShort`: for not enough points, how many more the tapped item needs (said aloud). */
	#show(problem: CounterProblem, pointsShort = 0): void {
		this.#message = { problem };
		this.#returnAt = this.#now() + this.#messageMs;
		this.#announce({ kind: 'problem', problem, pointsShort });
	}

	#forgetResident(): void {
		this.#resident = null;
		this.history.forget();
		this.#confirmingExit = false;
		this.#clearIdleWarning();
		this.#affordableAtOpen = [];
		this.#pendingSwitch = null;
		this.#cart = [];
		this.#category = null;
		this.#confirming = false;
	}

	#waitForCommunity(cardText: string): void {
		this.#waitingCard = cardText;
		this.#message = null;
		this.#returnAt = null;
		this.#loadingPolledAt = this.#now();
		void this.#port.communityLoading().then((loading) => {
			if (this.#waitingCard === cardText) this.#loading = loading ?? { residentsLoaded: 0 };
		});
	}

	#stopWaitingForCommunity(): void {
		this.#waitingCard = null;
		this.#loading = null;
	}

	/** While a card waits: asks how far the first pull has come, and reads the card once done. */
	async #pollCommunityLoading(now: number): Promise<void> {
		if (this.#loadingPollInFlight || now - this.#loadingPolledAt < LOADING_POLL_MS) return;
		this.#loadingPollInFlight = true;
		this.#loadingPolledAt = now;
		try {
			const loading = await this.#port.communityLoading();
			const card = this.#waitingCard;
			if (card === null) return;
			if (loading) {
				this.#loading = loading;
				return;
			}
			this.#stopWaitingForCommunity();
			await this.scan(card);
		} finally {
			this.#loadingPollInFlight = false;
		}
	}

	#tick(): void {
		const now = this.#now();
		if (this.#waitingCard !== null) void this.#pollCommunityLoading(now);
		if (this.#returnAt !== null && now >= this.#returnAt) {
			if (this.#message) this.dismissMessage();
			else this.exit();
			return;
		}
		// Waiting for the community to load is not idleness: the resident is told to wait.
		if (this.idle || this.#redeeming || this.#loading !== null) return this.#clearIdleWarning();
		const endsAt = this.#idleEndsAt ?? this.#lastActivityAt + this.#idleMs;
		if (now >= endsAt) return this.exit();
		// Asked only over a resident's open visit; a message or the thanks go away by themselves.
		if (this.#resident === null || endsAt - now >= this.#idleWarningMs) return;
		this.#idleEndsAt = endsAt;
		this.#idleSecondsLeft = Math.ceil((endsAt - now) / 1000);
	}

	#clearIdleWarning(): void {
		this.#idleEndsAt = null;
		this.#idleSecondsLeft = null;
	}
}

/** A staff card's text by its form alone; whose it is and whether it is genuine is shop mode's. */
function isStaffCardText(text: string): boolean {
	return parseCredential(text)?.credential.kind === 'staff';
}
