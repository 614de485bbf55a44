import { expect, test } from '../fixtures/test';
import { residentCardsRichestFirst } from '../fixtures/test-cards';
import { ShopPage } from './shop-page';
import { staffCard, wrongPin } from './staff-cards';

/*
 * Every shop-mode screen at the two kiosk sizes, landscape 1280×800 and portrait 1080×1920:
 * nothing may need sideways scrolling, and each screen is saved as a picture (test-results) for
 * a person to look at. The day report is also printed to PDF for A4 and for an 80 mm roll.
 */

/** The width of each page of a PDF, in millimetres, from its MediaBox entries. */
function pageWidthsMm(pdf: Buffer): number[] {
	const boxes = pdf
		.toString('latin1')
		.matchAll(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)/g);
	return [...boxes].map(([, left, , right]) => ((Number(right) - Number(left)) / 72) * 25.4);
}

const SIZES = [
	{ name: 'landscape', width: 1280, height: 800 },
	{ name: 'portrait', width: 1080, height: 1920 }
] as const;

for (const size of SIZES) {
	test(`shop screens fit a ${size.width}×${size.height} kiosk`, async ({
		kiosk,
		demoCards,
		serverDb
	}, testInfo) => {
		test.setTimeout(180_000);
		const page = kiosk.page;
		const shop = new ShopPage(kiosk);
		await page.setViewportSize({ width: size.width, height: size.height });
		const shot = async (name: string) => {
			const overflow = await page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			);
			expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
			await page.screenshot({ path: testInfo.outputPath(`${size.name}-${name}.png`) });
		};
		const keeper = staffCard(demoCards, 'shopkeeper');

		// A redemption first, so the void list has something in it.
		const resident = (await residentCardsRichestFirst(demoCards, serverDb))[0]!;
		await kiosk.scanByWedge(resident.credential);
		await kiosk.expectResident();
		const [cheapest] = await kiosk.availableItems();
		await kiosk.addItem(cheapest!.id);
		await kiosk.confirm();
		await page.getByRole('button', { name: '完成' }).click();
		await kiosk.waitForAttract();

		await shot('00-attract');
		await page.getByTestId('open-shop-mode').click();
		await expect(page.getByTestId('shop-card-prompt')).toBeVisible();
		await shot('01-card-prompt');
		await kiosk.scanByWedge(resident.credential);
		await shop.expectNotice('not_staff');
		await shot('02-resident-card-refused');
		await shop.dismissNotice();

		await shop.scanStaffCard(keeper.credential);
		await shop.typePin(wrongPin(keeper.pin));
		await expect(shop.pinError).toContainText('还可以再试');
		await shot('03-pin-wrong');
		await shop.typePin(keeper.pin);
		await expect(shop.home).toBeVisible();
		await shot('04-home');

		await shop.open('receive');
		await page.getByTestId('pick-item').first().click();
		await shop.typeQuantity('24');
		await shot('05-receive-quantity');
		await shop.quantityDialog.getByTestId('quantity-ok').click();
		await page.getByTestId('pick-item').nth(1).click();
		await shop.enterQuantity('6');
		await page.getByTestId('receive-note').fill('送货单 B-3');
		await shot('06-receive');
		await page.getByTestId('receive-save').click();
		await shop.expectNotice('received');
		await shot('07-receive-saved');
		await shop.dismissNotice();

		await shop.open('loss');
		await page.getByTestId('pick-item').first().click();
		await shop.enterQuantity('2');
		await page.locator('[data-testid="loss-reason"][data-choice="expired"]').click();
		await shot('08-loss');
		await page.getByTestId('shop-back').click();

		await shop.open('stock');
		await expect(page.getByTestId('stock-row').first()).toBeVisible();
		await shot('09-stock');

		await shop.open('void');
		await page.getByTestId('void-start').first().click();
		await page.getByTestId('reason-choice').first().click();
		await shot('10-void-dialog');
		await page.getByTestId('reason-ok').click();
		await shop.expectNotice('voided');
		await shop.dismissNotice();
		await shot('11-void-list');

		await shop.open('count');
		const rows = await shop.countSheetRows();
		for (const row of rows.slice(1)) await row.getByTestId('count-match').click();
		const first = rows[0]!;
		const expected = Number(await first.getAttribute('data-expected'));
		await first.getByTestId('count-enter').click();
		await shop.enterQuantity(String(expected + 1));
		await shot('12-count-difference');
		await first.getByTestId('count-reason').click();
		await shot('13-count-reason');
		await page.getByTestId('reason-choice').first().click();
		await page.getByTestId('reason-ok').click();
		await page.getByTestId('count-close').click();
		await expect(shop.report).toBeVisible();
		await shot('14-report-a4');
		await page.getByTestId('print-layout-receipt').click();
		await shot('15-report-receipt');

		// What the printers get: the report alone, on A4 and on an 80 mm roll.
		await page.emulateMedia({ media: 'print' });
		await page.screenshot({
			path: testInfo.outputPath(`${size.name}-16-print-receipt.png`),
			fullPage: true
		});
		await expect(page.getByTestId('shop-exit')).toBeHidden();
		await expect(page.getByTestId('sync-status')).toBeHidden();
		await page.emulateMedia({ media: 'screen' });
		if (size.name === 'landscape') {
			// The page size comes from the report's own @page rule: 80 mm wide, or A4.
			const receipt = await page.pdf({
				path: testInfo.outputPath('report-receipt.pdf'),
				preferCSSPageSize: true
			});
			expect(pageWidthsMm(receipt)[0]).toBeCloseTo(80, 0);
			await page.getByTestId('print-layout-a4').click();
			const a4 = await page.pdf({
				path: testInfo.outputPath('report-a4.pdf'),
				preferCSSPageSize: true
			});
			expect(pageWidthsMm(a4)[0]).toBeCloseTo(210, 0);
		}

		await page.getByRole('button', { name: '其他日期' }).click();
		await expect(page.getByTestId('report-open')).toHaveCount(1);
		await shot('17-reports');
		await shop.exit();
	});
}
