import { readFile } from 'node:fs/promises';
import { DAY_REPORT_CSV_HEADERS } from '../../../src/lib/domain/day-report';
import { expect, test } from '../fixtures/test';
import { residentCardsRichestFirst } from '../fixtures/test-cards';
import { ShopPage, type ReportLine } from './shop-page';
import { ShopServerDb } from './shop-server-db';
import { staffCard } from './staff-cards';

/*
 * The shopkeeper's evening, with the network gone: a resident redeems twice, one redemption is
 * voided, a delivery comes in, a damaged item is written off, the count finds one item short,
 * the day is closed and the report downloaded as CSV. Back online, the server's stock and ledger
 * must say exactly what the report says.
 */

/** Splits the CSV the kiosk downloaded into rows of fields (no field of ours holds a comma). */
function csvRows(text: string): string[][] {
	return text
		.replace(/\r\n$/, '')
		.split('\r\n')
		.map((line) => (line === '' ? [] : line.split(',')));
}

test('a full evening offline: redemptions, a void, a delivery, a loss, a count and the close, then the server agrees', async ({
	kiosk,
	demoCards,
	serverDb,
	server
}) => {
	test.setTimeout(240_000);
	const page = kiosk.page;
	const shop = new ShopPage(kiosk);
	const shopDb = new ShopServerDb(server.databasePath);
	const startedAt = new Date().toISOString();
	const community = serverDb.community();
	const keeper = staffCard(demoCards, 'shopkeeper');
	const tracked = shopDb.stockTrackedItemIds(community.id);
	const deviceId = await page.evaluate(
		() =>
			new Promise<string>((resolve, reject) => {
				const open = indexedDB.open('credit-shop-kiosk');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const get = open.result.transaction('meta').objectStore('meta').get('device');
					get.onsuccess = () =>
						resolve((get.result as { value: { deviceId: string } }).value.deviceId);
					get.onerror = () => reject(get.error);
				};
			})
	);

	// The richest resident, so that two items are surely affordable.
	const [resident] = await residentCardsRichestFirst(demoCards, serverDb);
	if (!resident) throw new Error('no genuine resident card on the demo sheet');
	const openingBalance = serverDb.ledgerBalance(resident.residentId);

	await page.context().setOffline(true);
	await kiosk.expectOnline(false);

	let kept: { id: number; points: number };
	let voided: { id: number; points: number };
	await test.step('the resident redeems two stock-tracked items, one visit each', async () => {
		await kiosk.scanByWedge(resident.credential);
		await kiosk.expectResident();
		const items = (await kiosk.availableItems()).filter((item) => tracked.has(item.id));
		[kept, voided] = items as [typeof kept, typeof voided];
		if (!kept || !voided) throw new Error('fewer than two stock-tracked items to redeem');
		await kiosk.addItem(kept.id);
		await kiosk.confirm();
		await kiosk.scanByWedge(resident.credential);
		await kiosk.expectResident();
		await kiosk.addItem(voided.id);
		expect(await kiosk.confirm()).toBe(openingBalance - kept.points - voided.points);
		await kiosk.expectPending(2);
		await page.getByRole('button', { name: '完成' }).click();
		await kiosk.waitForAttract();
	});

	await test.step('the shopkeeper enters shop mode with the staff card and PIN', async () => {
		await shop.signIn(keeper.credential, keeper.pin);
		await expect(page.getByTestId('shop-sync')).toHaveAttribute('data-online', 'false');
	});

	await test.step('the second redemption is voided with a reason', async () => {
		await shop.open('void');
		const rows = page.getByTestId('void-redemption');
		await expect(rows).toHaveCount(2);
		const target = rows.filter({ hasText: `${voided.points} 积分` }).filter({
			has: page.getByTestId('void-start')
		});
		const eventId = await target.first().getAttribute('data-event-id');
		await target.first().getByTestId('void-start').click();
		await page.getByTestId('reason-choice').first().click();
		await page.getByTestId('reason-ok').click();
		await shop.expectNotice('voided');
		await shop.dismissNotice();
		await expect(shop.voidRow(eventId!)).toHaveAttribute('data-voided', 'true');
		await expect(shop.voidRow(eventId!).getByTestId('voided-badge')).toHaveText('已撤销');
	});

	const stockBefore = await shop.stockOnHand();
	// Two other items with some stock: one gets a delivery, one a damaged piece written off.
	const [received, lost] = [...stockBefore]
		.filter(([id, onHand]) => onHand >= 2 && id !== kept!.id && id !== voided!.id)
		.map(([id]) => id)
		.slice(-2) as [number, number];
	if (lost === undefined) throw new Error('fewer than two other items in stock');
	await test.step('a delivery of 12 comes in, and one item is written off as damaged', async () => {
		await shop.receive([{ itemId: received, quantity: 12 }], '送货单 A-17');
		await shop.recordLoss(lost, 1, 'damaged');
		const stockAfter = await shop.stockOnHand();
		expect(stockAfter.get(received)).toBe(stockBefore.get(received)! + 12);
		expect(stockAfter.get(lost)).toBe(stockBefore.get(lost)! - 1);
	});

	const short = kept!.id;
	await test.step('the count: everything matches but one item, one short, with a reason', async () => {
		await shop.open('count');
		for (const row of await shop.countSheetRows()) {
			if (Number(await row.getAttribute('data-item-id')) === short) continue;
			await row.getByTestId('count-match').click();
		}
		const shortRow = shop.countRow(short);
		const expected = Number(await shortRow.getAttribute('data-expected'));
		await shortRow.getByTestId('count-enter').click();
		await shop.enterQuantity(String(expected - 1));
		await expect(shortRow).toHaveAttribute('data-difference', '-1');
		await shop.page.getByTestId('count-close').click();
		await shop.expectNotice('needs_reason');
		await shop.dismissNotice();
		await shortRow.getByTestId('count-reason').click();
		await page.getByTestId('reason-choice').filter({ hasText: '破损未报' }).click();
		await page.getByTestId('reason-ok').click();
		await page.getByTestId('count-close').click();
		await expect(shop.report).toBeVisible();
	});

	let lines: ReportLine[] = [];
	let businessDate = '';
	await test.step('the report shows the day as it was', async () => {
		await expect(page.getByTestId('report-redemptions')).toContainText(
			`兑换 2 笔，共 ${kept.points + voided.points} 积分`
		);
		await expect(page.getByTestId('report-voids')).toContainText(
			`撤销 1 笔，退回 ${voided.points} 积分`
		);
		lines = await shop.reportLines();
		const line = (id: number) => lines.find((candidate) => candidate.itemId === id)!;
		expect(line(kept.id)).toMatchObject({ redeemed: 1, difference: -1, reason: '破损未报' });
		expect(line(voided.id)).toMatchObject({ redeemed: 1, voided: 1, difference: 0 });
		expect(line(received).received).toBe(12);
		expect(line(lost).lost).toBe(1);
		for (const each of lines) {
			expect(each.expected).toBe(
				each.opening + each.received - each.redeemed + each.voided - each.lost
			);
			expect(each.difference).toBe(each.counted - each.expected);
		}
		expect(lines.filter((each) => each.difference !== 0).map((each) => each.itemId)).toEqual([
			kept.id
		]);
	});

	await test.step('导出CSV downloads the same figures, UTF-8 with a byte order mark', async () => {
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByTestId('report-csv').click()
		]);
		businessDate = await page.getByTestId('report-date').innerText();
		expect(download.suggestedFilename()).toBe(`日结报表-${businessDate}.csv`);
		const bytes = await readFile(await download.path());
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const rows = csvRows(bytes.toString('utf8').slice(1));
		const header = rows.findIndex((row) => row[0] === '物品编号');
		expect(rows[header]).toEqual([...DAY_REPORT_CSV_HEADERS]);
		const itemRows = rows.slice(header + 1);
		expect(itemRows.map((row) => Number(row[0]))).toEqual(lines.map((line) => line.itemId));
		for (const [index, row] of itemRows.entries()) {
			const line = lines[index]!;
			expect(row.slice(1)).toEqual([
				line.name,
				...[
					line.opening,
					line.received,
					line.redeemed,
					line.voided,
					line.lost,
					line.expected,
					line.counted,
					line.difference
				].map(String),
				line.reason
			]);
		}
		expect(rows.find((row) => row[0] === '兑换笔数')?.[1]).toBe('2');
		expect(rows.find((row) => row[0] === '撤销积分')?.[1]).toBe(String(voided.points));
	});

	await test.step('closing the same day again is refused clearly', async () => {
		await shop.open('count');
		await expect(page.getByTestId('count-already-closed')).toContainText('已经日结过了');
	});

	await test.step('back online, everything reaches the server', async () => {
		await shop.exit();
		await page.context().setOffline(false);
		await kiosk.expectPending(0, 40_000);
		await kiosk.expectOnline(true);
		const statuses = shopDb.eventStatuses(deviceId);
		expect(statuses.map((event) => event.type).sort()).toEqual(
			['dayClose', 'redemption', 'redemption', 'stockLoss', 'stockReceipt', 'void'].sort()
		);
		expect(statuses.every((event) => event.status === 'applied')).toBe(true);
	});

	await test.step("the server's ledger and stock match the report exactly", async () => {
		const ledger = shopDb.deviceLedger(deviceId);
		expect(
			ledger
				.filter((entry) => entry.reason === 'redemption')
				.map((e) => e.points)
				.sort()
		).toEqual([-kept.points, -voided.points].sort());
		expect(ledger.filter((entry) => entry.reason === 'reversal').map((e) => e.points)).toEqual([
			voided.points
		]);
		expect(serverDb.ledgerBalance(resident.residentId)).toBe(openingBalance - kept.points);

		const movements = shopDb.deviceMovements(deviceId);
		for (const line of lines) {
			const kinds = movements.get(line.itemId) ?? {};
			expect({ itemId: line.itemId, ...kinds }).toEqual({
				itemId: line.itemId,
				...(line.received ? { received: line.received } : {}),
				...(line.redeemed ? { redeemed: -line.redeemed } : {}),
				...(line.voided ? { voided: line.voided } : {}),
				...(line.lost ? { damaged: -line.lost } : {}),
				...(line.difference ? { counted: line.difference } : {})
			});
		}
		// Where no one else moved an item meanwhile, the server's stock is what was counted. Other
		// specs running at the same time redeem the cheapest items, never the ones delivered or
		// written off here.
		const movedByOthers = shopDb.itemsMovedByOthers(deviceId, startedAt);
		const stock = shopDb.stock(community.id);
		const ours = lines.filter((line) => !movedByOthers.has(line.itemId));
		expect(ours.map((line) => line.itemId)).toEqual(expect.arrayContaining([received, lost]));
		for (const line of ours) {
			expect({ itemId: line.itemId, stock: stock.get(line.itemId) }).toEqual({
				itemId: line.itemId,
				stock: line.counted
			});
		}
		// The server kept the report the kiosk printed.
		const report = shopDb.dayReport(deviceId, businessDate) as {
			items: { itemId: number; counted: number; difference: number }[];
		} | null;
		expect(
			report?.items.map(({ itemId, counted, difference }) => ({ itemId, counted, difference }))
		).toEqual(lines.map(({ itemId, counted, difference }) => ({ itemId, counted, difference })));
	});
	shopDb.close();
});
