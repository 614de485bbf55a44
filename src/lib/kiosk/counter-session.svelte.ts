import {
	addToCart,
	cartTotal,
	itemAvailability,
	quantityInCart,
	setQuantity,
	type Cart
} from '$lib/domain/cart';
import { parseCredential, stripScannerWhitespace } from '$lib/domain/credential';
import type { CameraPace } from '$lib/device/scanner';
import { ENROLL_QR_PREFIX, normalizeEnrollCode } from '$lib/protocol/devices';
import type { ItemSnapshot } from '$lib/protocol/sync';
import type { CounterCartLine, CounterDevice, CounterResident } from './counter-device';
import { PROBLEM_TEXTS, type CounterProblem } from './counter-problems';

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
}

export interface CounterSessionOptions {
	device: CounterDevice;
	/** Whether this kiosk holds a device token; null while that is not known yet. */
	isEnrolled: () => boolean | null;
	idleMs?: number;
	/**
	 * A staff card read at the attract screen goes here (shop mode) instead of the counter. On
	 * any other screen it is explained as 'staff_card' and the resident's visit stays open.
	 */
	onStaffCard?: (text: string) => void | Promise<void>;
	successMs?: number;
	messageMs?: number;
	now?: () => number;
}

const ENROLL_CODE_DIGITS = 8;
const TICK_MS = 250;
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
	readonly #device: CounterDevice;
	readonly #isEnrolled: () => boolean | null;
	readonly #idleMs: number;
	readonly #onStaffCard: ((text: string) => void | Promise<void>) | null;
	readonly #successMs: number;
	readonly #messageMs: number;
	readonly #now: () => number;

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
	#enrolling = $state(false);
	#enrollError = $state<string | null>(null);

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

	constructor(options: CounterSessionOptions) {
		this.#device = options.device;
		this.#isEnrolled = options.isEnrolled;
		this.#idleMs = options.idleMs ?? 60_000;
		this.#onStaffCard = options.onStaffCard ?? null;
		this.#successMs = options.successMs ?? 6_000;
		this.#messageMs = options.messageMs ?? 8_000;
		this.#now = options.now ?? (() => Date.now());
		this.#lastActivityAt = this.#now();
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
	get categories(): readonly string[] {
		return this.#categories;
	}
	get selectedCategory(): string | null {
		return this.#category ?? this.#categories[0] ?? null;
	}
	get visibleItems(): readonly ItemSnapshot[] {
		const category = this.selectedCategory;
		return this.#items.filter((item) => item.category === category);
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
		if (this.#redeeming || this.#confirming) return 'paused';
		return this.#screen === 'attract' ? 'every_frame' : 'relaxed';
	}
	/** Nobody at the counter: safe to apply an app update. */
	get idle(): boolean {
		return this.#resident === null && this.#message === null && this.#success === null;
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
		return { available: reason === null, reason, inCart, stockLeft };
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
		this.#communityName = await this.#device.communityName();
	}

	noteActivity(): void {
		this.#lastActivityAt = this.#now();
	}

	selectCategory(category: string): void {
		this.noteActivity();
		this.#category = category;
	}

	/** Handles text from the camera or the keyboard wedge. */
	async scan(text: string): Promise<void> {
		this.noteActivity();
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
				this.#device.lookupCard(trimmed),
				this.#device.listItems()
			]);
			if (!lookup.ok) return this.#show(lookup.problem);
			const current = this.#resident;
			if (current?.id === lookup.resident.id) return;
			if (current && (this.#cart.length > 0 || this.#confirming)) {
				this.#pendingSwitch = lookup.resident;
				return;
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
		const { available, reason } = this.availability(item);
		if (!available) return this.#show(reason ?? 'out_of_stock');
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
		performance.mark('redeem-start');
		this.noteActivity();
		this.#redeeming = true;
		const showRedeeming = setTimeout(() => (this.#redeemingShown = true), REDEEMING_SHOWN_AFTER_MS);
		try {
			const outcome = await this.#device.redeem(resident, this.#cart);
			this.#confirming = false;
			if (!outcome.ok) return this.#show(outcome.problem);
			this.#forgetResident();
			this.#success = { newBalance: outcome.newBalance, totalPoints: outcome.totalPoints };
			this.#screen = 'success';
			this.#returnAt = this.#now() + this.#successMs;
		} catch {
			this.#confirming = false;
			this.#show('redeem_failed');
		} finally {
			clearTimeout(showRedeeming);
			this.#redeeming = false;
			this.#redeemingShown = false;
		}
	}

	dismissMessage(): void {
		const message = this.#message;
		if (!message) return;
		this.noteActivity();
		if (PROBLEM_TEXTS[message.problem].endsVisit || !this.#resident) return this.exit();
		this.#message = null;
		this.#returnAt = null;
	}

	/** Back to the attract screen, forgetting everything about the last resident. */
	exit(): void {
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
			const outcome = await this.#device.enroll(digits);
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
		this.#cart = [];
		this.#category = null;
		this.#confirming = false;
		this.#pendingSwitch = null;
		this.#message = null;
		this.#success = null;
		this.#returnAt = null;
		this.#screen = 'resident';
	}

	#show(problem: CounterProblem): void {
		this.#message = { problem };
		this.#returnAt = this.#now() + this.#messageMs;
	}

	#forgetResident(): void {
		this.#resident = null;
		this.#pendingSwitch = null;
		this.#cart = [];
		this.#category = null;
		this.#confirming = false;
	}

	#tick(): void {
		const now = this.#now();
		if (this.#returnAt !== null && now >= this.#returnAt) {
			if (this.#message) this.dismissMessage();
			else this.exit();
			return;
		}
		if (!this.idle && !this.#redeeming && now - this.#lastActivityAt >= this.#idleMs) {
			this.exit();
		}
	}
}

/** A staff card's text by its form alone; whose it is and whether it is genuine is shop mode's. */
function isStaffCardText(text: string): boolean {
	return parseCredential(text)?.credential.kind === 'staff';
}
