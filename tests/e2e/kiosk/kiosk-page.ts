import { expect, type CDPSession, type Locator, type Page } from '@playwright/test';
import { expectNoA11yViolations } from '../fixtures/axe';

/** Words the kiosk puts in `data-problem` on its message screen. */
export type KioskProblem =
	| 'not_enrolled'
	| 'unreadable'
	| 'foreign_community'
	| 'forged'
	| 'revoked'
	| 'unknown_resident'
	| 'community_loading'
	| 'staff_card'
	| 'not_enough_points'
	| 'out_of_stock'
	| 'offline_daily_limit'
	| 'offline_too_long'
	| 'redeem_failed';

/** Reads the first whole number in a text such as "积分 1,234 分". */
export function pointsIn(text: string): number {
	const match = /-?\d[\d,]*/.exec(text);
	if (!match) throw new Error(`no number in "${text}"`);
	return Number(match[0].replaceAll(',', ''));
}

/**
 * The counter terminal (`/kiosk`) as a resident and a shopkeeper use it. Specs read as steps a
 * person takes; the `data-testid` hooks are the UI's promise to the tests.
 */
export class KioskPage {
	readonly setupCodeInput: Locator;
	readonly attract: Locator;
	readonly scanPreview: Locator;
	readonly residentPanel: Locator;
	readonly residentName: Locator;
	readonly residentBalance: Locator;
	readonly categoryTabs: Locator;
	readonly itemCards: Locator;
	readonly cart: Locator;
	readonly cartLines: Locator;
	readonly cartTotal: Locator;
	readonly success: Locator;
	readonly successBalance: Locator;
	readonly message: Locator;
	readonly syncStatus: Locator;
	readonly switchResidentDialog: Locator;
	readonly exitConfirmDialog: Locator;
	readonly idleWarning: Locator;
	readonly idleSeconds: Locator;
	readonly earnPoints: Locator;
	readonly residentHome: Locator;
	#cdp: CDPSession | null = null;

	constructor(readonly page: Page) {
		const id = (testId: string) => page.getByTestId(testId);
		this.setupCodeInput = id('setup-code-input');
		this.attract = id('attract');
		this.scanPreview = id('scan-preview');
		this.residentPanel = id('resident-panel');
		this.residentName = id('resident-name');
		this.residentBalance = id('resident-balance');
		this.categoryTabs = id('category-tab');
		this.itemCards = id('item-card');
		this.cart = id('cart');
		this.cartLines = id('cart-line');
		this.cartTotal = id('cart-total');
		this.success = id('success');
		this.successBalance = id('success-balance');
		this.message = id('message');
		this.syncStatus = id('sync-status');
		this.switchResidentDialog = id('switch-resident-dialog');
		this.exitConfirmDialog = id('exit-confirm-dialog');
		this.idleWarning = id('idle-warning');
		this.idleSeconds = id('idle-seconds');
		this.earnPoints = id('earn-points');
		this.residentHome = id('resident-home');
	}

	async open(): Promise<void> {
		await this.page.goto('/kiosk');
	}

	/** Types the office's one-time code on the setup screen and waits for the attract screen. */
	async enroll(code: string): Promise<void> {
		await expect(this.setupCodeInput).toBeVisible();
		await expectNoA11yViolations(this.page, 'kiosk setup');
		await this.setupCodeInput.fill(code);
		await this.page.getByTestId('setup-submit').click();
		await this.waitForAttract();
	}

	async waitForAttract(): Promise<void> {
		await expect(this.attract).toBeVisible({ timeout: 20_000 });
		await expectNoA11yViolations(this.page, 'kiosk attract');
	}

	/** Waits until the kiosk says it is online with nothing waiting: the first sync is done. */
	async waitForSynced(timeout = 20_000): Promise<void> {
		await expect(this.syncStatus).toHaveAttribute('data-online', 'true', { timeout });
		await expect(this.syncStatus).toHaveAttribute('data-pending', '0', { timeout });
	}

	async expectPending(count: number, timeout = 20_000): Promise<void> {
		await expect(this.syncStatus).toHaveAttribute('data-pending', String(count), { timeout });
	}

	async expectOnline(online: boolean, timeout = 10_000): Promise<void> {
		await expect(this.syncStatus).toHaveAttribute('data-online', String(online), { timeout });
	}

	/**
	 * A USB scanner in keyboard-wedge mode: trusted key events a few milliseconds apart, then
	 * Enter. The events carry their own timestamps, as a scanner's do from the OS, so a renderer
	 * busy decoding camera frames does not stretch the gaps the way Playwright's one-key-at-a-time
	 * typing would. The focus is moved off any text field first.
	 */
	async scanByWedge(text: string, msBetweenKeys = 4): Promise<void> {
		await this.typeKeys(`${text}\n`, msBetweenKeys);
	}

	/** Types `text` (`\n` = Enter) with key events stamped `msBetweenKeys` apart. */
	async typeKeys(text: string, msBetweenKeys: number): Promise<void> {
		await this.page.evaluate(() => {
			if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
		});
		this.#cdp ??= await this.page.context().newCDPSession(this.page);
		const cdp = this.#cdp;
		const startSeconds = Date.now() / 1000;
		const sent: Promise<unknown>[] = [];
		[...text].forEach((character, index) => {
			const timestamp = startSeconds + (index * msBetweenKeys) / 1000;
			const key =
				character === '\n'
					? { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' }
					: { key: character, text: character, unmodifiedText: character };
			// One session delivers in order, so the events need not wait for each other.
			sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', timestamp, ...key }));
			sent.push(
				cdp.send('Input.dispatchKeyEvent', {
					type: 'keyUp',
					timestamp: timestamp + 0.001,
					key: key.key,
					...('code' in key ? { code: key.code, windowsVirtualKeyCode: 13 } : {})
				})
			);
		});
		await Promise.all(sent);
	}

	async expectResident(): Promise<void> {
		await expect(this.residentPanel).toBeVisible();
		await expect(this.residentName).toBeVisible();
		await expectNoA11yViolations(this.page, 'kiosk resident');
	}

	async balance(): Promise<number> {
		return pointsIn(await this.residentBalance.innerText());
	}

	itemCard(itemId: number): Locator {
		return this.page.locator(`[data-testid="item-card"][data-item-id="${itemId}"]`);
	}

	/** Items the resident can take now, across all category tabs, cheapest first. */
	async availableItems(): Promise<{ id: number; points: number }[]> {
		const found = new Map<number, number>();
		const tabs = await this.categoryTabs.count();
		for (let tab = 0; tab < Math.max(tabs, 1); tab++) {
			if (tabs > 0) await this.categoryTabs.nth(tab).click();
			const cards = this.page.locator('[data-testid="item-card"][data-available="true"]');
			for (const card of await cards.all()) {
				const id = Number(await card.getAttribute('data-item-id'));
				const points = Number(await card.getAttribute('data-points'));
				found.set(id, Number.isFinite(points) ? points : 0);
			}
		}
		return [...found]
			.map(([id, points]) => ({ id, points }))
			.sort((a, b) => a.points - b.points || a.id - b.id);
	}

	/** Puts one of an item in the cart, switching to its category tab when needed. */
	async addItem(itemId: number): Promise<void> {
		const card = this.itemCard(itemId);
		if (!(await card.isVisible())) {
			const tabs = await this.categoryTabs.all();
			for (const tab of tabs) {
				await tab.click();
				if (await card.isVisible()) break;
			}
		}
		await card.click();
	}

	/** 确认兑换, then 确定: waits for the success screen and returns the new balance shown. */
	async confirm(): Promise<number> {
		await this.page.getByTestId('confirm-redeem').click();
		await expect(this.page.getByTestId('confirm-yes')).toBeVisible();
		await expectNoA11yViolations(this.page, 'kiosk confirm');
		await this.page.getByTestId('confirm-yes').click();
		await expect(this.success).toBeVisible();
		// Read first: the success screen goes back to the attract screen by itself.
		const balance = pointsIn(await this.successBalance.innerText());
		await expectNoA11yViolations(this.page, 'kiosk success');
		return balance;
	}

	async expectProblem(problem: KioskProblem): Promise<void> {
		await expect(this.message).toBeVisible();
		await expect(this.message).toHaveAttribute('data-problem', problem);
		await expectNoA11yViolations(this.page, `kiosk message ${problem}`);
	}

	async dismissMessage(): Promise<void> {
		await this.page.getByTestId('message-ok').click();
		await expect(this.message).toBeHidden();
	}

	/** 退出: back to the attract screen (saying yes when goods in the cart make it ask first). */
	async exit(): Promise<void> {
		await this.page.getByTestId('exit').click();
		await expect(this.attract.or(this.exitConfirmDialog)).toBeVisible();
		if (await this.exitConfirmDialog.isVisible()) {
			await expectNoA11yViolations(this.page, 'kiosk exit confirm');
			await this.page.getByTestId('exit-yes').click();
		}
		await this.waitForAttract();
	}

	/** 继续兑换 on 还在吗？. */
	async stayAtCounter(): Promise<void> {
		await expectNoA11yViolations(this.page, 'kiosk idle warning');
		await this.page.getByTestId('idle-stay').click();
		await expect(this.idleWarning).toBeHidden();
	}
}
