/**
 * What the counter shows (points a resident may spend, stock on hand) on a kiosk holding days of
 * its own redemptions: pending ones, acknowledged ones the pull has not reflected yet, refused
 * ones and voided ones, over several residents and items.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
	availableBalance,
	availableStock,
	listCatalogue,
	residentWithAvailable,
	stockLevels
} from './balances';
import type { PushResult } from '$lib/protocol/sync';
import type { KioskDb, RedemptionRecord } from './local-db';
import { applyPushResults } from './sync-client';
import { voidRedemption } from './shop/voids';
import { item, resident } from './testing/kiosk-fixtures';
import { MORNING, redeem, SHOPKEEPER, shopKiosk } from './testing/shop-fixtures';

const TEA = 20;
const OIL = 21;
const HAIRCUT = 22;
const UNSOLD = 23;
const RETIRED = 24;

/** A kiosk with four residents and goods enough for a long offline stretch. */
async function busyKiosk(): Promise<KioskDb> {
	const { db } = await shopKiosk({
		residents: [1, 2, 3, 4].map((id) => resident(id, { balance: 10_000 })),
		items: [
			item(TEA, { points: 3, stock: 500, sortOrder: 2 }),
			item(OIL, { points: 7, stock: 300, sortOrder: 1 }),
			item(HAIRCUT, { points: 10, stockTracked: false, stock: 0, kind: 'service', sortOrder: 3 }),
			item(UNSOLD, { points: 9, stock: 40, sortOrder: 4 }),
			item(RETIRED, { points: 1, stock: 5, active: false })
		],
		cursor: 100
	});
	return db;
}

/**
 * 120 redemptions over four residents: resident r takes r tea each time, every third one also
 * an oil, every fifth one also a haircut.
 */
async function backlog(db: KioskDb): Promise<RedemptionRecord[]> {
	const made: RedemptionRecord[] = [];
	for (let i = 0; i < 120; i++) {
		const residentId = (i % 4) + 1;
		const lines = [{ itemId: TEA, quantity: residentId, unitPoints: 3 }];
		if (i % 3 === 0) lines.push({ itemId: OIL, quantity: 1, unitPoints: 7 });
		if (i % 5 === 0) lines.push({ itemId: HAIRCUT, quantity: 1, unitPoints: 10 });
		made.push(await redeem(db, lines, MORNING, residentId));
	}
	return made;
}

/** Points and units the redemptions took, by resident and by item. */
function totals(redemptions: readonly RedemptionRecord[]) {
	const points = new Map<number, number>();
	const units = new Map<number, number>();
	for (const r of redemptions) {
		points.set(r.residentId, (points.get(r.residentId) ?? 0) + r.totalPoints);
		for (const line of r.lines)
			units.set(line.itemId, (units.get(line.itemId) ?? 0) + line.quantity);
	}
	return { points, units };
}

/** The server's answers to these redemptions' events, as a push brings them back. */
async function answer(
	db: KioskDb,
	redemptions: readonly RedemptionRecord[],
	status: 'applied' | 'rejected',
	firstSeq: number
) {
	const rows = await db.outbox.bulkGet(redemptions.map((r) => r.eventId));
	const results = redemptions.map((r, i): PushResult =>
		status === 'applied'
			? { id: r.eventId, status, seq: firstSeq + i }
			: { id: r.eventId, status, reason: 'unknown_item', message: '没有这件物品' }
	);
	await applyPushResults(
		db,
		rows.filter((row) => row !== undefined),
		results,
		0,
		MORNING.toISOString()
	);
}

async function expectFigures(
	db: KioskDb,
	counted: readonly RedemptionRecord[],
	pointsBack = new Map<number, number>(),
	unitsBack = new Map<number, number>()
) {
	const { points, units } = totals(counted);
	for (const id of [1, 2, 3, 4]) {
		const expected = 10_000 - (points.get(id) ?? 0) + (pointsBack.get(id) ?? 0);
		expect(await availableBalance(db, id)).toBe(expected);
		expect((await residentWithAvailable(db, id))?.available).toBe(expected);
	}
	const stock = (id: number, pulled: number) =>
		pulled - (units.get(id) ?? 0) + (unitsBack.get(id) ?? 0);
	// In the office's order, the retired item left out; a service's stock is never shown.
	const catalogue = await listCatalogue(db);
	expect(catalogue.map((i) => i.id)).toEqual([OIL, TEA, HAIRCUT, UNSOLD]);
	expect(catalogue.filter((i) => i.stockTracked).map((i) => [i.id, i.stock])).toEqual([
		[OIL, stock(OIL, 300)],
		[TEA, stock(TEA, 500)],
		[UNSOLD, 40]
	]);
	expect(await availableStock(db, TEA)).toBe(stock(TEA, 500));
	expect(await availableStock(db, OIL)).toBe(stock(OIL, 300));
	expect(await availableStock(db, UNSOLD)).toBe(40);
	const levels = await stockLevels(db);
	expect(levels.get(TEA)).toBe(stock(TEA, 500));
	expect(levels.get(RETIRED)).toBe(5);
}

let db: KioskDb;
afterEach(() => db?.close());

describe('points and stock on a kiosk with a backlog of its own', () => {
	it('subtract every pending redemption, for each resident and each item', async () => {
		db = await busyKiosk();
		const made = await backlog(db);
		// Tea: 30 redemptions each of 1, 2, 3 and 4 → 300; oil: every third of 120 → 40.
		await expectFigures(db, made);
		expect(await availableStock(db, TEA)).toBe(200);
		expect(await availableStock(db, OIL)).toBe(260);
	});

	it('still subtract acknowledged ones until a pull reflects them, and never twice', async () => {
		db = await busyKiosk();
		const made = await backlog(db);
		// The server took the first 50 (seqs 101…150); the pull cursor is still at 100.
		await answer(db, made.slice(0, 50), 'applied', 101);
		await expectFigures(db, made);
		// A pull up to seq 130 brings the server's figures with the first 30 in them.
		const reflected = totals(made.slice(0, 30));
		await db.transaction('rw', [db.meta, db.residents, db.items], async () => {
			for (const id of [1, 2, 3, 4]) {
				await db.residents.update(id, { balance: 10_000 - (reflected.points.get(id) ?? 0) });
			}
			await db.items.update(TEA, { stock: 500 - (reflected.units.get(TEA) ?? 0) });
			await db.items.update(OIL, { stock: 300 - (reflected.units.get(OIL) ?? 0) });
			await db.meta.put({ key: 'cursor', value: 130 });
		});
		// The same figures: what the pull took in is no longer subtracted locally.
		await expectFigures(db, made);
	});

	it('leave out the ones the server refused', async () => {
		db = await busyKiosk();
		const made = await backlog(db);
		const refused = made.filter((_, i) => i % 10 === 0);
		await answer(db, refused, 'rejected', 0);
		await expectFigures(
			db,
			made.filter((_, i) => i % 10 !== 0)
		);
	});

	it('give back what a void returned, points and stock', async () => {
		db = await busyKiosk();
		const made = await backlog(db);
		// Resident 3's first redemption: 3 tea, an oil… (i = 2: no oil, no haircut) → 3 tea.
		const voided = made[2]!;
		expect(voided.residentId).toBe(3);
		const outcome = await voidRedemption(
			db,
			{ staffId: SHOPKEEPER, redemptionId: voided.eventId, reason: '拿错了' },
			MORNING
		);
		expect(outcome.ok).toBe(true);
		await expectFigures(db, made, new Map([[3, voided.totalPoints]]), new Map([[TEA, 3]]));
	});
});
