import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PinCheck, ShopPort, ShopStaff, StaffLookup } from './shop-port';
import { ShopSession } from './shop-session.svelte';

const keeper: ShopStaff = { id: 1, name: '王店员', role: 'shopkeeper' };
const manager: ShopStaff = { id: 2, name: '李店长', role: 'manager' };

/** PINs: 1234 for the shopkeeper, 5678 for the manager; five wrong tries lock. */
function fakeDevice(): ShopPort & { wrong: number } {
	const pins = new Map([
		[1, '1234'],
		[2, '5678']
	]);
	const cards = new Map<string, StaffLookup>([
		['KEEPER', { ok: true, staff: keeper }],
		['MANAGER', { ok: true, staff: manager }],
		['RESIDENT', { ok: false, problem: 'not_staff' }],
		['FOREIGN', { ok: false, problem: 'foreign' }]
	]);
	const lockedUntil = new Date('2026-11-22T10:05:00Z');
	const device = {
		wrong: 0,
		async identifyStaff(text: string) {
			return cards.get(text) ?? { ok: false as const, problem: 'unreadable' as const };
		},
		async pinLockedUntil() {
			return device.wrong >= 5 ? lockedUntil : null;
		},
		async checkPin(staffId: number, pin: string): Promise<PinCheck> {
			if (device.wrong >= 5) return { ok: false, reason: 'locked', until: lockedUntil };
			if (pins.get(staffId) === pin) return { ok: true };
			device.wrong++;
			if (device.wrong >= 5) return { ok: false, reason: 'locked', until: lockedUntil };
			return { ok: false, reason: 'wrong', triesLeft: 5 - device.wrong };
		}
		// The session only enters shop mode here: the screens' methods are not needed.
	} as unknown as ShopPort & { wrong: number };
	return device;
}

let device: ReturnType<typeof fakeDevice>;
let session: ShopSession;
let stop: () => void;

beforeEach(() => {
	vi.useFakeTimers();
	device = fakeDevice();
	session = new ShopSession({ port: device, idleMs: 120_000 });
	stop = session.start();
});

afterEach(() => {
	stop();
	vi.useRealTimers();
});

describe('ShopSession', () => {
	it('asks the PIN of a staff card and signs the staff member in with the right one', async () => {
		await session.scan('KEEPER');
		expect(session.screen).toBe('pin');
		expect(session.candidate).toEqual(keeper);
		expect(session.staff).toBeNull();
		await session.submitPin('1234');
		expect(session.screen).toBe('home');
		expect(session.staff).toEqual(keeper);
	});

	it('says how many tries are left, then when the lock lifts', async () => {
		await session.scan('KEEPER');
		await session.submitPin('0000');
		expect(session.pinError).toBe('密码不对，还可以再试 4 次');
		expect(session.pinLocked).toBe(false);
		for (let i = 0; i < 4; i++) await session.submitPin('0000');
		expect(session.pinError).toMatch(/已锁定，\d\d:\d\d 后可以再试/);
		expect(session.pinLocked).toBe(true);
		await session.submitPin('1234');
		expect(session.screen).toBe('pin');
		expect(session.staff).toBeNull();
		// Scanned again later, the card says it is locked before any PIN is typed.
		session.exit();
		expect(session.pinLocked).toBe(false);
		await session.scan('KEEPER');
		expect(session.pinError).toMatch(/已锁定/);
		expect(session.pinLocked).toBe(true);
	});

	it('says when the lock lifts on the community’s clock, not the kiosk’s', async () => {
		// The lock lifts at 10:05 UTC: 18:05 in Shanghai, 05:05 in New York.
		const expected: [string, string][] = [
			['Asia/Shanghai', '18:05'],
			['America/New_York', '05:05']
		];
		for (const [timeZone, lifts] of expected) {
			const zoned = new ShopSession({ port: fakeDevice(), timeZone: () => timeZone });
			await zoned.scan('KEEPER');
			for (let i = 0; i < 5; i++) await zoned.submitPin('0000');
			expect(zoned.pinError).toBe(`密码错误次数太多，店员模式已锁定，${lifts} 后可以再试`);
		}
	});

	it('does not open shop mode for a resident card or a foreign staff card', async () => {
		session.openEntry();
		await session.scan('RESIDENT');
		expect(session.notice?.code).toBe('not_staff');
		expect(session.screen).toBe('card');
		session.dismissNotice();
		await session.scan('FOREIGN');
		expect(session.notice?.title).toBe('这是其他社区的店员卡');
		expect(session.candidate).toBeNull();
	});

	it('forgets everything when shop mode is left', async () => {
		await session.scan('KEEPER');
		await session.submitPin('1234');
		session.go('count');
		session.exit();
		expect(session.active).toBe(false);
		expect(session.staff).toBeNull();
		expect(session.report).toBeNull();
	});

	it('closes by itself after two minutes without a touch', async () => {
		await session.scan('KEEPER');
		await session.submitPin('1234');
		vi.advanceTimersByTime(100_000);
		session.noteActivity();
		vi.advanceTimersByTime(100_000);
		expect(session.screen).toBe('home');
		vi.advanceTimersByTime(21_000);
		expect(session.active).toBe(false);
		expect(session.staff).toBeNull();
	});

	it('takes a manager, not the shopkeeper, as the second PIN', async () => {
		await session.scan('KEEPER');
		await session.submitPin('1234');
		const approved = session.requestApproval();
		await session.scan('KEEPER');
		expect(session.approval?.error).toMatch(/另一位店员/);
		await session.scan('MANAGER');
		expect(session.approval?.candidate).toEqual(manager);
		await session.submitApproverPin('5678');
		expect(await approved).toEqual(manager);
		expect(session.approval).toBeNull();
		expect(session.staff).toEqual(keeper);
	});

	it('answers an open approval with nobody when shop mode is left', async () => {
		await session.scan('KEEPER');
		await session.submitPin('1234');
		const approved = session.requestApproval();
		session.exit();
		expect(await approved).toBeNull();
	});
});
