import { expect, type Locator, type Page } from '@playwright/test';
import { expectNoA11yViolations } from '../fixtures/axe';

/*
 * Page models of the office's 积分卡 page, its print page and the 账号 page: specs read as the
 * steps an admin takes.
 */

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class CardsOfficePage {
	readonly residentPanel: Locator;
	readonly done: Locator;
	readonly problem: Locator;

	constructor(readonly page: Page) {
		this.residentPanel = page.locator('section[data-resident-id]');
		this.done = page.locator('main p[role="status"]');
		this.problem = page.locator('main p[role="alert"]');
	}

	async openResident(residentId: number): Promise<void> {
		await this.page.goto(`/admin/cards?resident=${residentId}`);
		await expect(this.residentPanel).toBeVisible();
		await expectNoA11yViolations(this.page, 'office cards of a resident');
	}

	/** Finds a resident by name with the search form and opens them from the results. */
	async findResident(query: string, name: string): Promise<void> {
		await this.page.goto('/admin/cards');
		await this.page.getByLabel('查找居民').fill(query);
		await this.page.getByRole('button', { name: '查找' }).click();
		await this.page.getByRole('link', { name: new RegExp(escapeRegExp(name)) }).click();
		await expect(this.residentPanel.getByRole('heading', { level: 2 })).toContainText(name);
	}

	card(serial: number): Locator {
		return this.residentPanel.locator(`li[data-card-serial="${serial}"]`);
	}

	async issue(): Promise<void> {
		await this.residentPanel.getByRole('button', { name: '发卡' }).click();
		await expect(this.done).toContainText('已发卡');
	}

	async reportLost(reason: string): Promise<void> {
		await this.residentPanel.getByLabel('挂失原因').fill(reason);
		await this.residentPanel.getByLabel('我确认这张卡已丢失').check();
		await this.residentPanel.getByRole('button', { name: '挂失并补卡' }).click();
		await expect(this.done).toContainText('已挂失旧卡');
	}

	/** Follows the answer's print link and reads the printed card's credential. */
	async openPrintLink(name: string): Promise<PrintPage> {
		await this.page.getByRole('link', { name }).click();
		const print = new PrintPage(this.page);
		await expect(print.cards.first()).toBeVisible();
		await expectNoA11yViolations(this.page, 'office card print sheet');
		return print;
	}
}

export class PrintPage {
	readonly cards: Locator;

	constructor(readonly page: Page) {
		this.cards = page.locator('article[data-credential]');
	}

	/** The printed cards' credentials, once the page shows at least one card. */
	async credentials(): Promise<string[]> {
		await expect(this.cards.first()).toBeVisible();
		return this.cards.evaluateAll((cards) =>
			cards.map((card) => card.getAttribute('data-credential') ?? '')
		);
	}
}

export class AccountsOfficePage {
	readonly createForm: Locator;

	constructor(readonly page: Page) {
		this.createForm = page.locator('form[action="?/create"]');
	}

	async open(): Promise<void> {
		await this.page.goto('/admin/accounts');
		await expect(this.page.getByRole('heading', { name: '新增账号' })).toBeVisible();
	}

	entry(username: string): Locator {
		return this.page.locator(`li[data-username="${username}"]`);
	}

	async create(account: {
		username: string;
		displayName: string;
		role: 'admin' | 'gridWorker' | 'shopkeeper';
		password: string;
	}): Promise<void> {
		await this.createForm.getByLabel('用户名').fill(account.username);
		await this.createForm.getByLabel('姓名').fill(account.displayName);
		await this.createForm.getByLabel('角色').selectOption(account.role);
		await this.createForm.getByLabel('初始密码').fill(account.password);
		await this.createForm.getByLabel('再输一次密码').fill(account.password);
		await this.createForm.getByRole('button', { name: '新增账号' }).click();
		await expect(this.entry(account.username)).toBeVisible();
	}

	async setPin(username: string, pin: string, shopRole: 'shopkeeper' | 'manager'): Promise<void> {
		const entry = this.entry(username);
		await entry.getByText('设置 PIN 并发店员卡').click();
		const form = entry.locator('form[action="?/pin"]');
		await form.getByLabel('柜台身份').selectOption(shopRole);
		await form.getByLabel('PIN（4–8 位数字）').fill(pin);
		await form.getByLabel('再输一次').fill(pin);
		await form.getByRole('button', { name: '保存 PIN' }).click();
		await expect(entry.getByRole('status')).toContainText('PIN 已设置');
	}
}
