import { expect, type Locator, type Page } from '@playwright/test';
import type { DayReportLine } from '../../../src/lib/domain/day-report';
import { expectNoA11yViolations } from '../fixtures/axe';
import type { KioskPage } from '../kiosk/kiosk-page';

/** One line of the day report as the report screen shows it (A4 table); no reason is ''. */
export type ReportLine = Omit<DayReportLine, 'reason'> & { reason: string };

/**
 * Shop mode on the counter kiosk, as a shopkeeper uses it: staff card, PIN, then the screens of
 * the shop home. Built on the counter's page model (its wedge scanner and sync status).
 */
export class ShopPage {
	readonly page: Page;
	readonly mode: Locator;
	readonly home: Locator;
	readonly pinScreen: Locator;
	readonly pinError: Locator;
	readonly notice: Locator;
	readonly quantityDialog: Locator;
	readonly quantityError: Locator;
	readonly countRows: Locator;
	readonly report: Locator;

	constructor(readonly kiosk: KioskPage) {
		const page = kiosk.page;
		this.page = page;
		const id = (testId: string) => page.getByTestId(testId);
		this.mode = id('shop-mode');
		this.home = id('shop-home');
		this.pinScreen = id('shop-pin');
		this.pinError = id('pin-error');
		this.notice = id('shop-notice');
		this.quantityDialog = id('quantity-dialog');
		this.quantityError = id('quantity-error');
		this.countRows = id('count-row');
		this.report = id('day-report');
	}

	/** Scans a staff card with the USB scanner and waits for the PIN screen. */
	async scanStaffCard(credential: string): Promise<void> {
		await this.kiosk.scanByWedge(credential);
		await expect(this.pinScreen).toBeVisible();
		await expectNoA11yViolations(this.page, 'shop PIN');
	}

	/** Taps the PIN on the on-screen keypad and 确定. */
	async typePin(pin: string, pad = 'pin-pad'): Promise<void> {
		const keypad = this.page.getByTestId(pad);
		await expect(keypad).toBeVisible();
		await expectNoA11yViolations(this.page, `shop ${pad}`);
		for (const digit of pin) {
			await keypad.getByRole('button', { name: digit, exact: true }).click();
		}
		await expect(keypad.getByTestId('pin-dots')).toHaveAttribute('data-length', String(pin.length));
		await keypad.getByTestId('pin-submit').click();
	}

	async signIn(credential: string, pin: string): Promise<void> {
		await this.scanStaffCard(credential);
		await this.typePin(pin);
		await expect(this.home).toBeVisible();
		await expectNoA11yViolations(this.page, 'shop home');
	}

	async expectNotice(code: string): Promise<void> {
		await expect(this.notice).toBeVisible();
		await expect(this.notice).toHaveAttribute('data-notice', code);
		await expectNoA11yViolations(this.page, `shop notice ${code}`);
	}

	async dismissNotice(): Promise<void> {
		await this.page.getByTestId('shop-notice-ok').click();
		await expect(this.notice).toBeHidden();
	}

	async open(action: 'receive' | 'loss' | 'stock' | 'void' | 'count' | 'reports'): Promise<void> {
		if (!(await this.home.isVisible())) await this.page.getByTestId('shop-back').click();
		await this.page.getByTestId(`shop-action-${action}`).click();
		await expect(this.home).toBeHidden();
		await expectNoA11yViolations(this.page, `shop ${action}`);
	}

	/** The count sheet's rows, once the sheet is on screen (`all()` alone does not wait). */
	async countSheetRows(): Promise<Locator[]> {
		await expect(this.countRows.first()).toBeVisible();
		await expectNoA11yViolations(this.page, 'shop count sheet');
		return this.countRows.all();
	}

	/** 退出店员模式: back to the attract screen. */
	async exit(): Promise<void> {
		await this.page.getByTestId('shop-exit').click();
		await expect(this.mode).toBeHidden();
		await this.kiosk.waitForAttract();
	}

	/** Types keys on the open quantity dialog's keypad (digits, and C for 清空). */
	async typeQuantity(keys: string): Promise<void> {
		for (const key of keys) {
			const name = key === 'C' ? '清空' : key;
			await this.quantityDialog.getByRole('button', { name, exact: true }).click();
		}
	}

	async enterQuantity(keys: string): Promise<void> {
		await this.typeQuantity(keys);
		await expectNoA11yViolations(this.page, 'shop quantity dialog');
		await this.quantityDialog.getByTestId('quantity-ok').click();
		await expect(this.quantityDialog).toBeHidden();
	}

	pickItem(itemId: number): Locator {
		return this.page.locator(`[data-testid="pick-item"][data-item-id="${itemId}"]`);
	}

	/** Shows an item in the picker, switching category tabs when needed, and taps it. */
	async tapItem(itemId: number): Promise<void> {
		await expect(this.page.getByTestId('pick-item').first()).toBeVisible();
		const item = this.pickItem(itemId);
		if (!(await item.isVisible())) {
			for (const tab of await this.page.getByRole('tab').all()) {
				await tab.click();
				if (await item.isVisible()) break;
			}
		}
		await item.click();
	}

	/** 入库: one delivery of several items with an optional note. */
	async receive(lines: { itemId: number; quantity: number }[], note?: string): Promise<void> {
		await this.open('receive');
		for (const line of lines) {
			await this.tapItem(line.itemId);
			await this.enterQuantity(String(line.quantity));
		}
		if (note) await this.page.getByTestId('receive-note').fill(note);
		await this.page.getByTestId('receive-save').click();
		await this.expectNotice('received');
		await this.dismissNotice();
	}

	/** 报损 of one item with a reason. */
	async recordLoss(
		itemId: number,
		quantity: number,
		reason: 'damaged' | 'expired' | 'lost' | 'other'
	): Promise<void> {
		await this.open('loss');
		await this.tapItem(itemId);
		await this.enterQuantity(String(quantity));
		await this.page.locator(`[data-testid="loss-reason"][data-choice="${reason}"]`).click();
		await this.page.getByTestId('loss-save').click();
		await this.expectNotice('loss_recorded');
		await this.dismissNotice();
	}

	voidRow(eventId: string): Locator {
		return this.page.locator(`[data-testid="void-redemption"][data-event-id="${eventId}"]`);
	}

	countRow(itemId: number): Locator {
		return this.page.locator(`[data-testid="count-row"][data-item-id="${itemId}"]`);
	}

	/** The stock on hand the 库存 screen shows, per item. */
	async stockOnHand(): Promise<Map<number, number>> {
		await this.open('stock');
		const rows = this.page.getByTestId('stock-row');
		await expect(rows.first()).toBeVisible();
		const stock = new Map<number, number>();
		for (const row of await rows.all()) {
			stock.set(
				Number(await row.getAttribute('data-item-id')),
				Number(await row.getAttribute('data-on-hand'))
			);
		}
		return stock;
	}

	/** The report on screen, read from its A4 table. */
	async reportLines(): Promise<ReportLine[]> {
		await this.page.getByTestId('print-layout-a4').click();
		await expectNoA11yViolations(this.page, 'shop day report');
		const lines: ReportLine[] = [];
		for (const row of await this.report.getByTestId('report-line').all()) {
			const cells = await row.locator('td').allInnerTexts();
			const [name, ...rest] = cells;
			const numbers = rest.slice(0, 8).map((cell) => Number(cell.replace('+', '')));
			lines.push({
				itemId: Number(await row.getAttribute('data-item-id')),
				name: name ?? '',
				opening: numbers[0]!,
				received: numbers[1]!,
				redeemed: numbers[2]!,
				voided: numbers[3]!,
				lost: numbers[4]!,
				expected: numbers[5]!,
				counted: numbers[6]!,
				difference: numbers[7]!,
				reason: (rest[8] ?? '').trim()
			});
		}
		return lines;
	}
}
