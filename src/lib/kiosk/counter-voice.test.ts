import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ItemSnapshot } from '$lib/protocol/sync';
import type { CardLookup, CounterPort, CounterResident, RedeemOutcome } from './counter-port';
import { CounterSession } from './counter-session.svelte';
import { CounterVoice } from './counter-voice.svelte';
import type { Speaker } from './speaker';
import type { SpokenPrompt } from './spoken-prompts';
import { VOICE_STORAGE_KEY, type SettingsStorage } from './voice-settings';

/** Records what the counter would say, and each time it was told to fall silent. */
class RecordingSpeaker implements Speaker {
	said: (SpokenPrompt & { volume: number })[] = [];
	stops = 0;
	unlocks = 0;
	say(prompt: SpokenPrompt, volume: number): void {
		this.said.push({ ...prompt, volume });
	}
	stop(): void {
		this.stops++;
	}
	unlock(): void {
		this.unlocks++;
	}
	speaksMandarin(): boolean {
		return true;
	}
	get texts(): string[] {
		return this.said.map((prompt) => prompt.text);
	}
}

const NAME = '张*华';

function resident(id: number, balance: number): CounterResident {
	const household = `${id}01室`;
	return {
		id,
		maskedName: NAME,
		household,
		building: '1号楼',
		cardSerial: 1,
		balance,
		offlineSpendLeft: null,
		offlineDailyLimit: null,
		credential: `CARD-${id}`
	};
}

function item(id: number, points: number): ItemSnapshot {
	return {
		id,
		name: `物品${id}`,
		category: '粮油',
		kind: 'goods',
		points,
		stockTracked: true,
		stock: 5,
		imageUrl: null,
		active: true,
		sortOrder: id
	};
}

/** Just enough of the counter's port: two residents, a cheap and a dear item, a forged card. */
function fakePort(): CounterPort & { redeemAnswer: RedeemOutcome | null } {
	const cards = new Map<string, CardLookup>([
		['CARD-1', { ok: true, resident: resident(1, 120) }],
		['CARD-2', { ok: true, resident: resident(2, 45) }],
		['FORGED', { ok: false, problem: 'forged' }],
		['REVOKED', { ok: false, problem: 'revoked' }]
	]);
	const items = [item(1, 30), item(2, 150)];
	return {
		redeemAnswer: null,
		lookupCard: async (text) => cards.get(text) ?? { ok: false, problem: 'unreadable' },
		listItems: async () => items,
		communityName: async () => '幸福里社区',
		earnRules: async () => [],
		communityLoading: async () => null,
		async redeem(who, cart) {
			if (this.redeemAnswer) return this.redeemAnswer;
			const totalPoints = cart.reduce((sum, line) => sum + line.item.points * line.quantity, 0);
			return { ok: true, newBalance: who.balance - totalPoints, totalPoints };
		},
		enroll: async () => ({ ok: true }),
		residentHistory: async () => ({ ok: false, problem: 'offline' })
	};
}

function memoryStorage(): SettingsStorage {
	const values = new Map<string, string>();
	return {
		getItem: (key) => values.get(key) ?? null,
		setItem: (key, v) => void values.set(key, v)
	};
}

let speaker: RecordingSpeaker;
let storage: SettingsStorage;
let voice: CounterVoice;
let port: ReturnType<typeof fakePort>;
let session: CounterSession;
let stop: () => void;

function startCounter(): void {
	voice = new CounterVoice({ speaker, storage });
	session = new CounterSession({
		port,
		isEnrolled: () => true,
		announce: (moment) => voice.announce(moment)
	});
	stop = session.start();
}

beforeEach(() => {
	vi.useFakeTimers();
	speaker = new RecordingSpeaker();
	storage = memoryStorage();
	port = fakePort();
	startCounter();
});

afterEach(() => {
	stop();
	vi.useRealTimers();
});

describe('the counter voice', () => {
	it('greets a card read with the balance, and never says the name', async () => {
		await session.scan('CARD-1');
		expect(speaker.texts).toEqual(['您好，您有 120 积分']);
		expect(speaker.said[0]).toMatchObject({ tone: 'good', volume: 0.7 });
		expect(speaker.texts.join()).not.toContain(NAME);
		expect(speaker.texts.join()).not.toContain('华');
	});

	it('says how many points are missing when an item is out of reach', async () => {
		await session.scan('CARD-2');
		session.addToCart(2);
		expect(speaker.texts).toEqual(['您好，您有 45 积分', '积分不够，还差 105 分']);
		expect(speaker.said[1]?.tone).toBe('refused');
	});

	it('says the redemption went through with the new balance, once', async () => {
		await session.scan('CARD-1');
		session.addToCart(1);
		session.addToCart(1);
		session.askConfirm();
		await session.confirm();
		expect(session.screen).toBe('success');
		expect(speaker.texts).toEqual(['您好，您有 120 积分', '兑换成功，还剩 60 积分']);
		// The thanks screen staying up, and the return to the attract screen, say nothing more.
		await vi.advanceTimersByTimeAsync(10_000);
		expect(session.screen).toBe('attract');
		expect(speaker.said).toHaveLength(2);
	});

	it('refuses a forged or revoked card plainly, and asks again for an unreadable one', async () => {
		await session.scan('FORGED');
		session.dismissMessage();
		await session.scan('REVOKED');
		session.dismissMessage();
		await session.scan('a payment code');
		expect(speaker.texts).toEqual([
			'这张卡不能使用，请找工作人员',
			'这张卡不能使用，请找工作人员',
			'没有读到卡，请再扫一次'
		]);
		expect(speaker.said.every((prompt) => prompt.tone === 'refused')).toBe(true);
	});

	it('says why when the device refuses the redemption after the confirm', async () => {
		port.redeemAnswer = { ok: false, problem: 'not_enough_points' };
		await session.scan('CARD-1');
		session.addToCart(1);
		session.askConfirm();
		await session.confirm();
		expect(speaker.texts.at(-1)).toBe('积分不够');
	});

	it('greets each card of a fast rescan in turn, and not the same card twice', async () => {
		await session.scan('CARD-1');
		await session.scan('CARD-1');
		await session.scan('CARD-2');
		// Each say() replaces the last one (the browser speaker cancels; see speaker.test.ts).
		expect(speaker.texts).toEqual(['您好，您有 120 积分', '您好，您有 45 积分']);
	});

	it('asks about switching when another card is read over an open cart, and greets after yes', async () => {
		await session.scan('CARD-1');
		session.addToCart(1);
		await session.scan('CARD-2');
		expect(session.pendingSwitch?.id).toBe(2);
		session.acceptSwitch();
		expect(speaker.texts).toEqual([
			'您好，您有 120 积分',
			'还有没兑换完的物品，要换人吗',
			'您好，您有 45 积分'
		]);
	});

	it('says nothing at all with voice turned off, and falls silent at once', async () => {
		voice.setEnabled(false);
		expect(speaker.stops).toBe(1);
		await session.scan('CARD-2');
		session.addToCart(2);
		session.dismissMessage();
		session.addToCart(1);
		session.askConfirm();
		await session.confirm();
		expect(session.screen).toBe('success');
		await session.scan('FORGED');
		expect(session.message?.problem).toBe('forged');
		expect(speaker.said).toEqual([]);
	});

	it('keeps voice off and the volume across a restart of the kiosk', async () => {
		voice.setVolume('high');
		voice.setEnabled(false);
		expect(storage.getItem(VOICE_STORAGE_KEY)).not.toBeNull();
		stop();
		startCounter();
		expect(voice.settings).toEqual({ enabled: false, volume: 'high' });
		voice.setEnabled(true);
		await session.scan('CARD-1');
		expect(speaker.said.at(-1)).toMatchObject({ text: '您好，您有 120 积分', volume: 1 });
	});

	it('lets staff hear a new volume at once, with a made-up balance', () => {
		voice.setVolume('low');
		expect(speaker.said).toEqual([{ text: '您好，您有 120 积分', tone: 'good', volume: 0.4 }]);
		voice.preview();
		expect(speaker.said).toHaveLength(2);
	});

	it('never lets a sound problem get in the way of a redemption', async () => {
		speaker.say = () => {
			throw new Error('audio device gone');
		};
		await session.scan('CARD-1');
		session.addToCart(1);
		session.askConfirm();
		await session.confirm();
		expect(session.screen).toBe('success');
		expect(session.message).toBeNull();
	});
});
