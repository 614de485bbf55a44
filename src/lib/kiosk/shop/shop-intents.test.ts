import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DayReport } from './shop-report';
import type {
	ClosingLine,
	ClosingSheet,
	CloseOutcome,
	PinCheck,
	ShopPort,
	ShopStaff,
	ShopWriteOutcome,
	StaffLookup,
	StockLine
} from './shop-port';
import { ShopSession } from './shop-session.svelte';

const keeper: ShopStaff = { id: 1, name: '王店员', role: 'shopkeeper' };
const manager: ShopStaff = { id: 2, name: '李店长', role: 'manager' };
const report = { businessDate: '2026-11-22' } as DayReport;

function stockLine(id: number, onHand: number): StockLine {
	return { item: { id, name: `物品${id}` }, onHand } as StockLine;
}

function closingLine(itemId: number, expected: number): ClosingLine {
	const base = { itemId, name: `物品${itemId}`, received: 0, redeemed: 0, voided: 0, lost: 0 };
	return { ...base, opening: expected, expected };
}

function sheet(lines: ClosingLine[]): ClosingSheet {
	return {
		businessDate: '2026-11-22',
		alreadyClosed: false,
		lines,
		countDifferenceLimit: 3,
		unclosedEarlierDays: []
	};
}

/** A shop port that records every write and answers what each test sets. */
function fakePort() {
	const cards = new Map<string, StaffLookup>([
		['KEEPER', { ok: true, staff: keeper }],
		['MANAGER', { ok: true, staff: manager }]
	]);
	const pins = new Map([
		[1, '1234'],
		[2, '5678']
	]);
	const port = {
		writes: [] as unknown[],
		writeAnswer: { ok: true } as ShopWriteOutcome,
		sheets: [sheet([closingLine(1, 10), closingLine(2, 5)])],
		closeAnswers: [] as CloseOutcome[],
		async identifyStaff(text: string) {
			return cards.get(text) ?? { ok: false as const, problem: 'unreadable' as const };
		},
		async pinLockedUntil() {
			return null;
		},
		async checkPin(staffId: number, pin: string): Promise<PinCheck> {
			return pins.get(staffId) === pin
				? { ok: true }
				: { ok: false, reason: 'wrong', triesLeft: 4 };
		},
		async receiveStock(input: unknown) {
			port.writes.push({ receive: input });
			return port.writeAnswer;
		},
		async recordLoss(input: unknown) {
			port.writes.push({ loss: input });
			return port.writeAnswer;
		},
		async voidRedemption(input: unknown) {
			port.writes.push({ void: input });
			return port.writeAnswer;
		},
		async openClosing() {
			return port.sheets.shift() ?? sheet([]);
		},
		async closeDay(input: unknown) {
			port.writes.push({ close: input });
			return port.closeAnswers.shift() ?? { ok: true, report };
		},
		async getDayReport(businessDate: string) {
			return businessDate === report.businessDate ? report : null;
		}
	};
	return port;
}

let port: ReturnType<typeof fakePort>;
let session: ShopSession;
let stop: () => void;

beforeEach(async () => {
	vi.useFakeTimers();
	port = fakePort();
	session = new ShopSession({ port: port as unknown as ShopPort, idleMs: 120_000 });
	stop = session.start();
	await session.scan('KEEPER');
	await session.submitPin('1234');
});

afterEach(() => {
	stop();
	vi.useRealTimers();
});

describe('shop intents', () => {
	it('records a delivery in the signed-in staff member’s name and says it is saved', async () => {
		session.go('receive');
		const saved = await session.receiveStock(
			[
				{ line: stockLine(1, 0), quantity: 3 },
				{ line: stockLine(2, 4), quantity: 2 }
			],
			' 早上送货 '
		);
		expect(saved).toBe(true);
		expect(port.writes).toEqual([
			{
				receive: {
					staffId: 1,
					lines: [
						{ itemId: 1, quantity: 3 },
						{ itemId: 2, quantity: 2 }
					],
					note: '早上送货'
				}
			}
		]);
		expect(session.screen).toBe('home');
		expect(session.notice).toMatchObject({
			code: 'received',
			detail: '2 种物品，共 5 件。联网后自动上传。'
		});
	});

	it('refuses a loss of an item the books hold none of, and says a refused write in words', async () => {
		expect(session.canRecordLoss(stockLine(1, 0))).toBe(false);
		expect(session.notice?.code).toBe('nothing_to_lose');
		session.dismissNotice();
		session.go('loss');
		port.writeAnswer = { ok: false, problem: 'invalid_quantity' };
		expect(await session.recordLoss(stockLine(1, 2), 3, 'damaged')).toBe(false);
		expect(session.screen).toBe('loss');
		expect(session.notice?.code).toBe('invalid_quantity');
	});

	it('voids a redemption and stays on the void screen', async () => {
		session.go('void');
		expect(await session.voidRedemption('event-1', '选错了')).toBe(true);
		expect(port.writes).toEqual([
			{ void: { staffId: 1, redemptionId: 'event-1', reason: '选错了' } }
		]);
		expect(session.screen).toBe('void');
		expect(session.notice?.code).toBe('voided');
	});

	it('writes nothing once shop mode was left', async () => {
		session.exit();
		expect(await session.voidRedemption('event-1', '选错了')).toBe(false);
		expect(port.writes).toEqual([]);
	});

	it('opens an earlier day’s report, and nothing for a day without one', async () => {
		expect(await session.openReport('2026-11-21')).toBe(false);
		expect(await session.openReport('2026-11-22')).toBe(true);
		expect(session.screen).toBe('report');
		expect(session.report).toBe(report);
	});
});

describe('closing flow', () => {
	it('will not close with rows uncounted, then closes and shows the report', async () => {
		session.go('count');
		const flow = session.startClosing();
		await flow.open();
		await flow.close();
		expect(session.notice).toMatchObject({ code: 'uncounted', title: '还有 2 项没有清点' });
		flow.sheet?.confirmExpected(1);
		flow.sheet?.confirmExpected(2);
		await flow.close();
		expect(port.writes).toEqual([
			{
				close: {
					staffId: 1,
					counts: [
						{ itemId: 1, expected: 10, counted: 10 },
						{ itemId: 2, expected: 5, counted: 5 }
					]
				}
			}
		]);
		expect(session.screen).toBe('report');
	});

	it('asks a manager for a large difference and closes in both names', async () => {
		const flow = session.startClosing();
		await flow.open();
		flow.sheet?.confirmExpected(1);
		flow.sheet?.setCounted(2, 0);
		flow.sheet?.setReason(2, '破损未报');
		const closing = flow.close();
		await vi.waitFor(() => expect(session.approval).not.toBeNull());
		await session.scan('MANAGER');
		await session.submitApproverPin('5678');
		await closing;
		expect(port.writes).toMatchObject([{ close: { staffId: 1, approverStaffId: 2 } }]);
	});

	it('takes the new books and names what to recount when they moved while counting', async () => {
		port.sheets.push(sheet([closingLine(1, 10), closingLine(2, 4)]));
		port.closeAnswers.push({ ok: false, problem: 'changed_since_opened' } as CloseOutcome);
		const flow = session.startClosing();
		await flow.open();
		flow.sheet?.confirmExpected(1);
		flow.sheet?.confirmExpected(2);
		await flow.close();
		expect(session.notice).toMatchObject({ code: 'changed_since_opened' });
		expect(session.notice?.detail).toContain('物品2（现应有 4）');
		expect(flow.closing).toBe(false);
		expect(flow.sheet?.uncounted.map((row) => row.line.itemId)).toEqual([2]);
	});
});
