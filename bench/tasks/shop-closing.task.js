/**
 * Shop mode's closing on a busy day, in process: 500 stock-tracked items and 2,000 item
 * movements in the day (redemption lines, delivery lines, losses and voided lines), all written
 * through the kiosk's own data layer. Then the time to open the closing screen's figures
 * (`openClosing`), to close the day and build the report (`closeDay`, one transaction), and to
 * write the report's CSV. IndexedDB here is fake-indexeddb, so the figures describe our code's
 * work, not Chromium's storage.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { it } from 'vitest';
import { bytesToBase64url } from '$lib/domain/base64url';
import { signCredential } from '$lib/domain/credential';
import { dayReportCsv } from '$lib/domain/day-report';
import { hashPin } from '$lib/domain/pin';
import { KioskDb } from '$lib/kiosk/local-db';
import { recordRedemption } from '$lib/kiosk/redemption';
import { closeDay, openClosing } from '$lib/kiosk/shop/closing';
import { recordStockLoss, recordStockReceipt } from '$lib/kiosk/shop/stock';
import { voidRedemption } from '$lib/kiosk/shop/voids';
import { percentile, requiredEnv, writeJson } from './bench-io.js';

const ITEMS = Number(process.env.BENCH_SHOP_ITEMS || 500);
const OPEN_RUNS = 7;
const STAFF_ID = 1;
const STAFF_PIN = '2468';

/** The day's 2,000 movements: 1,000 redeemed lines, 500 delivered, 300 lost, 200 voided. */
const REDEMPTIONS = 250;
const LINES_PER_REDEMPTION = 4;
const RECEIPTS = 50;
const LINES_PER_RECEIPT = 10;
const LOSSES = 300;
const VOIDS = 50;

function item(id) {
	return {
		id,
		name: `物品${id}`,
		category: `分类${id % 12}`,
		kind: 'goods',
		points: 1,
		stockTracked: true,
		stock: 10_000,
		imageUrl: null,
		active: true,
		sortOrder: id
	};
}

/**
 * A community key pair, a staff card (so the browser benchmark can enter shop mode) and the 50
 * residents' cards, which their redemptions carry as the counter scanned them.
 */
async function communityKeys() {
	const pair = await crypto.subtle.generateKey('Ed25519', true, ['sign', 'verify']);
	const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
	const staffCard = await signCredential(
		{ kind: 'staff', communityId: 1, subjectId: STAFF_ID, serial: 1 },
		pair.privateKey
	);
	const residentCards = await Promise.all(
		Array.from({ length: 50 }, (_, i) =>
			signCredential(
				{ kind: 'resident', communityId: 1, subjectId: i + 1, serial: 1 },
				pair.privateKey
			)
		)
	);
	return { publicKey: bytesToBase64url(raw), staffCard, residentCards };
}

async function seed(db, keys) {
	const now = new Date().toISOString();
	await db.meta.bulkPut([
		{
			key: 'device',
			value: { deviceId: '0190f5c2-0000-7000-8000-00000000b001', token: 'bench', kind: 'kiosk' }
		},
		{
			key: 'community',
			value: {
				id: 1,
				name: '基准社区',
				timeZone: 'Asia/Shanghai',
				publicKey: keys.publicKey,
				offlineDailyLimit: 1_000_000,
				offlineMaxAgeHours: 72,
				countDifferenceLimit: 5
			}
		},
		{ key: 'cursor', value: 0 },
		{ key: 'lastPullAt', value: now }
	]);
	// In one transaction with meta, as a pull writes them.
	await db.transaction('rw', [db.meta, db.items, db.residents], async () => {
		await db.items.bulkPut(Array.from({ length: ITEMS }, (_, i) => item(i + 1)));
		await db.residents.bulkPut(
			Array.from({ length: 50 }, (_, i) => ({
				id: i + 1,
				maskedName: '张*凤',
				household: `${i + 1}室`,
				building: '3栋',
				balance: 1_000_000,
				activeSerials: [1],
				revokedSerials: []
			}))
		);
	});
	await db.staff.put({
		id: STAFF_ID,
		name: '王店员',
		role: 'shopkeeper',
		active: true,
		pin: await hashPin(STAFF_PIN),
		activeSerials: [1],
		revokedSerials: []
	});

	const itemAt = (n) => (n % ITEMS) + 1;
	let movements = 0;
	const redemptionIds = [];
	for (let r = 0; r < REDEMPTIONS; r++) {
		const lines = Array.from({ length: LINES_PER_REDEMPTION }, (_, l) => ({
			itemId: itemAt(r * LINES_PER_REDEMPTION + l),
			quantity: 1,
			unitPoints: 1
		}));
		const outcome = await recordRedemption(db, {
			residentId: (r % 50) + 1,
			cardSerial: 1,
			credential: keys.residentCards[r % 50],
			lines,
			offline: true
		});
		if (!outcome.ok) throw new Error(`redemption refused: ${outcome.problem}`);
		redemptionIds.push(outcome.redemption.eventId);
		movements += lines.length;
	}
	for (let r = 0; r < RECEIPTS; r++) {
		const lines = Array.from({ length: LINES_PER_RECEIPT }, (_, l) => ({
			itemId: itemAt(r * LINES_PER_RECEIPT + l + 7),
			quantity: 20
		}));
		const outcome = await recordStockReceipt(db, { staffId: STAFF_ID, lines, note: '送货' });
		if (!outcome.ok) throw new Error(`receipt refused: ${outcome.problem}`);
		movements += lines.length;
	}
	for (let l = 0; l < LOSSES; l++) {
		const outcome = await recordStockLoss(db, {
			staffId: STAFF_ID,
			itemId: itemAt(l * 3),
			quantity: 1,
			reason: 'damaged'
		});
		if (!outcome.ok) throw new Error(`loss refused: ${outcome.problem}`);
		movements += 1;
	}
	for (let v = 0; v < VOIDS; v++) {
		const outcome = await voidRedemption(db, {
			staffId: STAFF_ID,
			redemptionId: redemptionIds[v * 5],
			reason: '拿错物品'
		});
		if (!outcome.ok) throw new Error(`void refused: ${outcome.problem}`);
		movements += LINES_PER_REDEMPTION;
	}
	return movements;
}

it('opens the closing and produces the day report for 500 items and 2,000 movements', async () => {
	const out = requiredEnv('BENCH_SHOP_JSON');
	const db = new KioskDb({ name: 'bench-shop', indexedDB: new IDBFactory(), IDBKeyRange });
	try {
		const keys = await communityKeys();
		const seedStarted = performance.now();
		const movements = await seed(db, keys);
		const seedMs = performance.now() - seedStarted;

		// The same day for the browser benchmark, before the closing below changes it.
		const tables = {};
		for (const table of db.tables) tables[table.name] = await table.toArray();
		writeJson(requiredEnv('BENCH_SHOP_DUMP_JSON'), {
			tables,
			staffCard: keys.staffCard,
			staffPin: STAFF_PIN,
			items: ITEMS,
			movements
		});

		const openMs = [];
		let view = null;
		for (let run = 0; run < OPEN_RUNS; run++) {
			const started = performance.now();
			view = await openClosing(db);
			openMs.push(performance.now() - started);
		}
		if (!view || view.lines.length !== ITEMS) throw new Error('the closing lacks items');

		// Everything matches but every 50th item, one short with a reason (within the limit).
		const counts = view.lines.map((line, index) =>
			index % 50 === 0
				? {
						itemId: line.itemId,
						expected: line.expected,
						counted: line.expected - 1,
						reason: '破损未报'
					}
				: { itemId: line.itemId, expected: line.expected, counted: line.expected }
		);
		const closeStarted = performance.now();
		const closed = await closeDay(db, { staffId: STAFF_ID, counts });
		const closeMs = performance.now() - closeStarted;
		if (!closed.ok) throw new Error(`closing refused: ${closed.problem}`);
		const csvStarted = performance.now();
		const csv = dayReportCsv(closed.report);
		const csvMs = performance.now() - csvStarted;

		writeJson(out, {
			items: ITEMS,
			movements,
			seedMs,
			openClosingP50Ms: percentile(openMs, 0.5),
			openClosingMaxMs: Math.max(...openMs),
			closeDayMs: closeMs,
			csvMs,
			csvBytes: Buffer.byteLength(csv),
			note: 'in process, fake-indexeddb; the browser figures include rendering'
		});
	} finally {
		db.close();
	}
});
