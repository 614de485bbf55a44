import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ItemSnapshot } from '$lib/protocol/sync';
import type {
	CardLookup,
	CounterCart,
	CounterPort,
	CounterResident,
	RedeemOutcome
} from './counter-port';
import { CounterSession } from './counter-session.svelte';
import type { HistoryLookup } from './own-history.svelte';

function item(id: number, overrides: Partial<ItemSnapshot> = {}): ItemSnapshot {
	return {
		id,
		name: `物品${id}`,
		category: '粮油',
		kind: 'goods',
		points: 10,
		stockTracked: true,
		stock: 5,
		imageUrl: null,
		active: true,
		sortOrder: id,
		...overrides
	};
}

function resident(id: number, balance = 100): CounterResident {
	return {
		id,
		maskedName: `张*${id}`,
		household: `${id}01室`,
		building: '1号楼',
		cardSerial: 1,
		// The session only holds it and hands it back; the device layer's tests sign real ones.
		credential: `card-of-${id}`,
		balance,
		offlineSpendLeft: null,
		offlineDailyLimit: null
	};
}

class FakeCounterPort implements CounterPort {
	cards = new Map<string, CardLookup>([
		['CARD-1', { ok: true, resident: resident(1) }],
		['CARD-2', { ok: true, resident: resident(2, 5) }],
		['FORGED', { ok: false, problem: 'forged' }],
		['STAFF', { ok: false, problem: 'staff_card' }]
	]);
	items = [item(1), item(2, { stock: 0 }), item(3, { points: 500 }), item(4, { category: '服务' })];
	redeemed: { residentId: number; lines: { itemId: number; quantity: number }[] }[] = [];
	redeemAnswer: RedeemOutcome | null = null;
	/** Thrown by redeem, as a local database that cannot write (a full disk) throws. */
	redeemError: Error | null = null;
	enrollAnswer: 'ok' | 'invalid_code' | 'network' = 'ok';
	/** Residents loaded so far while the first pull runs; null once it has finished. */
	loadedSoFar: number | null = null;
	/** The card texts 我的积分记录 was asked with, and what the server answers. */
	historyAsked: string[] = [];
	historyAnswer: HistoryLookup = {
		ok: true,
		entries: [
			{ id: 9, kind: 'earned', points: 5, date: '2026-12-03', title: '清扫楼道', details: [] }
		]
	};

	async lookupCard(text: string): Promise<CardLookup> {
		return this.cards.get(text) ?? { ok: false, problem: 'unreadable' };
	}
	async listItems() {
		return this.items;
	}
	async communityName() {
		return '幸福里社区';
	}
	async earnRules() {
		return [{ name: '清扫楼道', points: 5 }];
	}
	async communityLoading() {
		return this.loadedSoFar === null ? null : { residentsLoaded: this.loadedSoFar };
	}
	async redeem(who: CounterResident, lines: CounterCart) {
		if (this.redeemError) throw this.redeemError;
		if (this.redeemAnswer) return this.redeemAnswer;
		const totalPoints = lines.reduce((sum, l) => sum + l.item.points * l.quantity, 0);
		this.redeemed.push({
			residentId: who.id,
			lines: lines.map((l) => ({ itemId: l.item.id, quantity: l.quantity }))
		});
		return { ok: true as const, newBalance: who.balance - totalPoints, totalPoints };
	}
	async residentHistory(credential: string) {
		this.historyAsked.push(credential);
		return this.historyAnswer;
	}
	async enroll() {
		if (this.enrollAnswer === 'ok') return { ok: true as const };
		return {
			ok: false as const,
			message: this.enrollAnswer === 'network' ? '连不上服务器' : '登记码不对'
		};
	}
}

let device: FakeCounterPort;
let enrolled: boolean | null;
let session: CounterSession;
let stop: () => void;

beforeEach(() => {
	vi.useFakeTimers();
	device = new FakeCounterPort();
	enrolled = true;
	session = new CounterSession({ port: device, isEnrolled: () => enrolled, idleMs: 60_000 });
	stop = session.start();
});

afterEach(() => {
	stop();
	vi.useRealTimers();
});

describe('CounterSession', () => {
	it('shows the setup screen until the kiosk is enrolled', () => {
		enrolled = false;
		expect(session.screen).toBe('setup');
		enrolled = null;
		expect(session.screen).toBe('starting');
	});

	it('opens the resident panel with balance and catalogue after a valid scan', async () => {
		await session.scan('CARD-1');
		expect(session.screen).toBe('resident');
		expect(session.resident?.maskedName).toBe('张*1');
		expect(session.categories).toEqual(['粮油', '服务']);
		expect(session.visibleItems.map((i) => i.id)).toEqual([1, 2, 3]);
	});

	it('marks items out of stock or beyond the balance as unavailable', async () => {
		await session.scan('CARD-1');
		const [rice, soldOut, dear] = session.visibleItems;
		expect(session.availability(rice!)).toMatchObject({ available: true, reason: null });
		expect(session.availability(soldOut!)).toMatchObject({ reason: 'out_of_stock' });
		expect(session.availability(dear!)).toMatchObject({ reason: 'not_enough_points' });
	});

	it('holds a resident to the offline allowance while the kiosk is offline', async () => {
		device.cards.set('CARD-OFFLINE', {
			ok: true,
			resident: { ...resident(5, 100), offlineSpendLeft: 15, offlineDailyLimit: 50 }
		});
		await session.scan('CARD-OFFLINE');
		const [rice] = session.visibleItems;
		session.addToCart(rice!.id);
		expect(session.availability(rice!)).toMatchObject({
			reason: 'offline_daily_limit',
			offlineDailyLimit: 50
		});
		session.addToCart(rice!.id);
		expect(session.message?.problem).toBe('offline_daily_limit');
		expect(session.cartTotal).toBe(10);
	});

	it('keeps a cart within stock and balance and totals it', async () => {
		await session.scan('CARD-1');
		for (let i = 0; i < 7; i++) session.addToCart(1);
		expect(session.cartLines).toHaveLength(1);
		expect(session.cartLines[0]?.quantity).toBe(5);
		expect(session.cartTotal).toBe(50);
		expect(session.remainingBalance).toBe(50);
		expect(session.message?.problem).toBe('out_of_stock');
		session.removeFromCart(1);
		expect(session.cartTotal).toBe(40);
	});

	it('explains instead of adding an item the resident cannot afford', async () => {
		await session.scan('CARD-1');
		session.addToCart(3);
		expect(session.cartLines).toHaveLength(0);
		expect(session.message?.problem).toBe('not_enough_points');
		session.dismissMessage();
		expect(session.screen).toBe('resident');
		expect(session.message).toBeNull();
	});

	it('redeems after a confirm step and shows the new balance, forgetting the resident', async () => {
		await session.scan('CARD-1');
		session.addToCart(1);
		session.addToCart(1);
		await session.confirm();
		expect(device.redeemed).toHaveLength(0);
		session.askConfirm();
		await session.confirm();
		expect(device.redeemed).toEqual([{ residentId: 1, lines: [{ itemId: 1, quantity: 2 }] }]);
		expect(session.screen).toBe('success');
		expect(session.success).toEqual({ newBalance: 80, totalPoints: 20 });
		expect(session.resident).toBeNull();
		vi.advanceTimersByTime(7_000);
		expect(session.screen).toBe('attract');
		expect(session.success).toBeNull();
	});

	it('pauses the camera from the confirm question on; during a slow commit takes one redemption for many taps, ignores 再看看 and shows 正在兑换… only late', async () => {
		let finish: (() => void) | null = null;
		const redeem = device.redeem.bind(device);
		device.redeem = (who, lines) =>
			new Promise((resolve) => (finish = () => resolve(redeem(who, lines))));
		expect(session.cameraPace).toBe('every_frame');
		await session.scan('CARD-1');
		expect(session.cameraPace).toBe('relaxed');
		session.addToCart(1);
		session.askConfirm();
		expect(session.cameraPace).toBe('paused');
		session.cancelConfirm();
		expect(session.cameraPace).toBe('relaxed');
		session.askConfirm();
		const committed = session.confirm();
		expect(session.cameraPace).toBe('paused');
		void session.confirm();
		session.cancelConfirm();
		expect(session.confirming).toBe(true);
		expect(session.redeeming).toBe(false);
		vi.advanceTimersByTime(200);
		expect(session.redeeming).toBe(true);
		finish!();
		await committed;
		expect(device.redeemed).toHaveLength(1);
		expect(session.screen).toBe('success');
		expect(session.redeeming).toBe(false);
		// The card is still in front of the camera: 兑换成功 stays until it has been read.
		expect(session.cameraPace).toBe('paused');
	});

	it('keeps the cart and says why when the device refuses the redemption', async () => {
		await session.scan('CARD-1');
		session.addToCart(1);
		session.askConfirm();
		device.redeemAnswer = { ok: false, problem: 'offline_daily_limit' };
		await session.confirm();
		expect(session.message?.problem).toBe('offline_daily_limit');
		expect(session.cartLines).toHaveLength(1);
	});

	it('keeps the cart and says nothing was deducted when the kiosk cannot write (a full disk)', async () => {
		await session.scan('CARD-1');
		session.addToCart(1);
		session.askConfirm();
		device.redeemError = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		await session.confirm();
		expect(session.message?.problem).toBe('redeem_failed');
		expect(session.screen).toBe('resident');
		expect(session.cartLines).toHaveLength(1);
		expect(device.redeemed).toHaveLength(0);
	});

	it('asks before switching to another resident while a cart is open', async () => {
		await session.scan('CARD-1');
		session.addToCart(1);
		await session.scan('CARD-2');
		expect(session.resident?.id).toBe(1);
		expect(session.pendingSwitch?.id).toBe(2);
		session.declineSwitch();
		expect(session.pendingSwitch).toBeNull();
		expect(session.cartLines).toHaveLength(1);
		await session.scan('CARD-2');
		session.acceptSwitch();
		expect(session.resident?.id).toBe(2);
		expect(session.cartLines).toHaveLength(0);
	});

	it('ignores a second scan of the same card', async () => {
		await session.scan('CARD-1');
		session.addToCart(1);
		await session.scan('CARD-1');
		expect(session.pendingSwitch).toBeNull();
		expect(session.cartLines).toHaveLength(1);
	});

	it('shows a bad card message that returns to the attract screen by itself', async () => {
		await session.scan('FORGED');
		expect(session.message?.problem).toBe('forged');
		vi.advanceTimersByTime(9_000);
		expect(session.message).toBeNull();
		expect(session.screen).toBe('attract');
	});

	it('hands a staff card read at the attract screen to shop mode', async () => {
		const staffCard = `CS1.S.1.1.1.${'A'.repeat(86)}`;
		const handed: string[] = [];
		const counter = new CounterSession({
			port: device,
			isEnrolled: () => true,
			onStaffCard: (text) => void handed.push(text)
		});
		await counter.scan(` ${staffCard} `);
		expect(handed).toEqual([staffCard]);
		expect(counter.message).toBeNull();

		// With a resident at the counter it is explained instead, and the visit stays open.
		device.cards.set(staffCard, { ok: false, problem: 'staff_card' });
		await counter.scan('CARD-1');
		await counter.scan(staffCard);
		expect(handed).toHaveLength(1);
		expect(counter.message?.problem).toBe('staff_card');
		expect(counter.screen).toBe('resident');
	});

	it('tells a kiosk that is not enrolled instead of looking up a card', async () => {
		enrolled = false;
		await session.scan('CARD-1');
		expect(session.message?.problem).toBe('not_enrolled');
	});

	it('goes back to the attract screen and forgets the resident after the idle time', async () => {
		await session.scan('CARD-1');
		session.addToCart(1);
		vi.advanceTimersByTime(59_000);
		expect(session.screen).toBe('resident');
		vi.advanceTimersByTime(1_500);
		expect(session.screen).toBe('attract');
		expect(session.resident).toBeNull();
		expect(session.cartLines).toHaveLength(0);
		expect(session.idle).toBe(true);
	});

	describe('我的积分记录', () => {
		it('asks with the scanned card’s text and shows the list in memory', async () => {
			await session.scan('CARD-1');
			await session.showHistory();
			expect(device.historyAsked).toEqual(['card-of-1']);
			expect(session.history.state).toMatchObject({
				status: 'shown',
				entries: [{ title: '清扫楼道' }]
			});
			session.closeHistory();
			expect(session.history.state).toEqual({ status: 'closed' });
			expect(session.screen).toBe('resident');
		});

		it('says plainly when the network is missing, and the visit goes on', async () => {
			device.historyAnswer = { ok: false, problem: 'offline' };
			await session.scan('CARD-1');
			await session.showHistory();
			expect(session.history.state).toMatchObject({ status: 'unavailable', problem: 'offline' });
			session.closeHistory();
			session.addToCart(1);
			expect(session.cartTotal).toBe(10);
		});

		it('forgets the list at 退出, at the idle reset and when the next resident scans', async () => {
			await session.scan('CARD-1');
			await session.showHistory();
			session.exit();
			expect(session.history.state).toEqual({ status: 'closed' });

			await session.scan('CARD-1');
			await session.showHistory();
			vi.advanceTimersByTime(61_000);
			expect(session.screen).toBe('attract');
			expect(session.history.state).toEqual({ status: 'closed' });

			await session.scan('CARD-1');
			await session.showHistory();
			await session.scan('CARD-2');
			expect(session.resident?.id).toBe(2);
			expect(session.history.state).toEqual({ status: 'closed' });
		});

		it('drops an answer that arrives after the resident has left', async () => {
			let answer: (lookup: HistoryLookup) => void = () => undefined;
			device.residentHistory = (credential: string) => {
				device.historyAsked.push(credential);
				return new Promise<HistoryLookup>((resolve) => (answer = resolve));
			};
			await session.scan('CARD-1');
			const shown = session.showHistory();
			expect(session.history.state).toEqual({ status: 'loading' });
			session.exit();
			answer({ ok: true, entries: [] });
			await shown;
			expect(session.history.state).toEqual({ status: 'closed' });
		});
	});

	it('waits longer while the resident keeps touching the screen', async () => {
		await session.scan('CARD-1');
		vi.advanceTimersByTime(50_000);
		session.noteActivity();
		vi.advanceTimersByTime(50_000);
		expect(session.screen).toBe('resident');
	});

	it('enrolls from a scanned enrollment QR and rejects a wrong code in plain words', async () => {
		enrolled = false;
		device.enrollAnswer = 'invalid_code';
		await session.scan('CSENROLL:1234-5678');
		expect(session.enrollError).toContain('登记码不对');
		await session.enroll('123');
		expect(session.enrollError).toContain('8 位数字');
		device.enrollAnswer = 'network';
		await session.enroll('12345678');
		expect(session.enrollError).toContain('连不上服务器');
		device.enrollAnswer = 'ok';
		await session.enroll('12345678');
		expect(session.enrollError).toBeNull();
		expect(session.communityName).toBe('幸福里社区');
	});

	describe('idle warning', () => {
		it('asks 还在吗？ 10 s before the reset and counts down to it', async () => {
			await session.scan('CARD-1');
			vi.advanceTimersByTime(49_000);
			expect(session.idleSecondsLeft).toBeNull();
			vi.advanceTimersByTime(1_250);
			expect(session.idleSecondsLeft).toBe(10);
			vi.advanceTimersByTime(4_000);
			expect(session.idleSecondsLeft).toBe(6);
			expect(session.screen).toBe('resident');
			vi.advanceTimersByTime(6_000);
			expect(session.screen).toBe('attract');
			expect(session.idleSecondsLeft).toBeNull();
		});

		it('keeps the visit and its cart when the resident taps 继续', async () => {
			await session.scan('CARD-1');
			session.addToCart(1);
			vi.advanceTimersByTime(55_000);
			expect(session.idleSecondsLeft).toBe(5);
			session.stayHere();
			expect(session.idleSecondsLeft).toBeNull();
			vi.advanceTimersByTime(45_000);
			expect(session.screen).toBe('resident');
			expect(session.cartLines).toHaveLength(1);
		});

		it('stays up through a touch elsewhere, so the tap cannot fall through to an item', async () => {
			await session.scan('CARD-1');
			vi.advanceTimersByTime(52_000);
			expect(session.idleSecondsLeft).toBe(8);
			session.noteActivity();
			vi.advanceTimersByTime(3_000);
			expect(session.idleSecondsLeft).toBe(5);
			vi.advanceTimersByTime(5_250);
			expect(session.screen).toBe('attract');
		});

		it('is answered by a card read', async () => {
			await session.scan('CARD-1');
			vi.advanceTimersByTime(55_000);
			await session.scan('CARD-1');
			expect(session.idleSecondsLeft).toBeNull();
			vi.advanceTimersByTime(30_000);
			expect(session.screen).toBe('resident');
		});

		it('warns within half of a short idle time', async () => {
			stop();
			session = new CounterSession({ port: device, isEnrolled: () => enrolled, idleMs: 4_000 });
			stop = session.start();
			await session.scan('CARD-1');
			vi.advanceTimersByTime(1_750);
			expect(session.idleSecondsLeft).toBeNull();
			vi.advanceTimersByTime(500);
			expect(session.idleSecondsLeft).toBe(2);
		});

		it('is not asked over a message or the thanks, which go away by themselves', async () => {
			await session.scan('FORGED');
			vi.advanceTimersByTime(5_000);
			expect(session.idleSecondsLeft).toBeNull();
		});
	});

	describe('退出 with goods in the cart', () => {
		it('asks first, and keeps the cart when the resident stays', async () => {
			await session.scan('CARD-1');
			session.addToCart(1);
			session.requestExit();
			expect(session.confirmingExit).toBe(true);
			expect(session.screen).toBe('resident');
			session.cancelExit();
			expect(session.confirmingExit).toBe(false);
			expect(session.cartLines).toHaveLength(1);
		});

		it('leaves and forgets the cart when confirmed', async () => {
			await session.scan('CARD-1');
			session.addToCart(1);
			session.requestExit();
			session.exit();
			expect(session.screen).toBe('attract');
			expect(session.confirmingExit).toBe(false);
			expect(session.cartLines).toHaveLength(0);
		});

		it('leaves at once with an empty cart', async () => {
			await session.scan('CARD-1');
			session.requestExit();
			expect(session.confirmingExit).toBe(false);
			expect(session.screen).toBe('attract');
		});
	});

	describe('a resident with few points', () => {
		beforeEach(() => {
			device.items = [
				item(1, { points: 80 }),
				item(2, { points: 5 }),
				item(3, { points: 60, category: '日用' }),
				item(4, { points: 8, stock: 0 }),
				item(5, { points: 3, category: '日用' })
			];
			device.cards.set('CARD-POOR', { ok: true, resident: resident(7, 6) });
		});

		it('sees what they can afford first, in an order that stays while the cart fills', async () => {
			await session.scan('CARD-POOR');
			expect(session.visibleItems.map((i) => i.id)).toEqual([2, 1, 4]);
			expect(session.affordableCount).toBe(1);
			session.addToCart(2);
			expect(session.availability(device.items[1]!)).toMatchObject({ available: false });
			expect(session.visibleItems.map((i) => i.id)).toEqual([2, 1, 4]);
		});

		it('is told how many points an item still needs', async () => {
			await session.scan('CARD-POOR');
			expect(session.availability(device.items[0]!)).toMatchObject({
				reason: 'not_enough_points',
				pointsShort: 74
			});
		});

		it('is shown how to earn points when most of the shop is out of reach', async () => {
			await session.scan('CARD-POOR');
			expect(session.fewPoints).toBe(false); // 2 of the 4 goods in stock
			session.exit();
			device.cards.set('CARD-3', { ok: true, resident: resident(8, 4) });
			await session.scan('CARD-3');
			expect(session.fewPoints).toBe(true);
			expect(session.earnRules).toEqual([{ name: '清扫楼道', points: 5 }]);
			session.exit();
			await session.scan('CARD-1');
			expect(session.fewPoints).toBe(false);
		});

		it('opens on the first category with something affordable', async () => {
			device.cards.set('CARD-3', { ok: true, resident: resident(8, 4) });
			await session.scan('CARD-3');
			expect(session.selectedCategory).toBe('日用');
			expect(session.visibleItems.map((i) => i.id)).toEqual([5, 3]);
		});
	});

	describe('before the first pull has finished', () => {
		beforeEach(() => {
			device.loadedSoFar = 1200;
			device.cards.set('CARD-NEW', { ok: false, problem: 'community_loading' });
		});

		it('says the community is still loading, with its progress, and takes the card once done', async () => {
			await session.scan('CARD-NEW');
			await vi.advanceTimersByTimeAsync(0);
			expect(session.message).toBeNull();
			expect(session.loading).toEqual({ residentsLoaded: 1200 });
			expect(session.idle).toBe(false);

			device.loadedSoFar = 5400;
			await vi.advanceTimersByTimeAsync(1_250);
			expect(session.loading).toEqual({ residentsLoaded: 5400 });

			device.loadedSoFar = null;
			device.cards.set('CARD-NEW', { ok: true, resident: resident(9) });
			await vi.advanceTimersByTimeAsync(1_250);
			expect(session.loading).toBeNull();
			expect(session.screen).toBe('resident');
			expect(session.resident?.id).toBe(9);
		});

		it('keeps waiting past the idle time, and forgets the card on 取消', async () => {
			await session.scan('CARD-NEW');
			await vi.advanceTimersByTimeAsync(70_000);
			expect(session.loading).not.toBeNull();
			session.cancelWaiting();
			expect(session.loading).toBeNull();
			device.loadedSoFar = null;
			device.cards.set('CARD-NEW', { ok: true, resident: resident(9) });
			await vi.advanceTimersByTimeAsync(2_000);
			expect(session.screen).toBe('attract');
		});

		it('answers an unknown resident plainly once the community has loaded', async () => {
			device.loadedSoFar = null;
			device.cards.set('CARD-NEW', { ok: false, problem: 'unknown_resident' });
			await session.scan('CARD-NEW');
			expect(session.message?.problem).toBe('unknown_resident');
			expect(session.loading).toBeNull();
		});
	});
});
