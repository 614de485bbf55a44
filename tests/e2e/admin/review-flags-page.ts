import { expect, type Locator, type Page } from '@playwright/test';

/* Page model of the office's 待核查 page: specs read as the steps an admin takes. */
export class ReviewFlagsPage {
	readonly done: Locator;
	readonly problem: Locator;

	constructor(readonly page: Page) {
		this.done = page.locator('main p[role="status"]');
		this.problem = page.locator('main p[role="alert"]');
	}

	async openOpen(): Promise<void> {
		await this.page.goto('/admin/flags');
		await expect(this.page.getByRole('heading', { level: 1, name: '待核查' })).toBeVisible();
		await this.page.waitForLoadState('networkidle');
	}

	async openResolved(): Promise<void> {
		await this.page.getByRole('link', { name: '已处理' }).click();
		await expect(this.page.getByRole('link', { name: '已处理' })).toHaveAttribute(
			'aria-current',
			'page'
		);
	}

	/** The flag of one resident, found by the name shown on it. */
	flagOf(residentName: string): Locator {
		return this.page.locator('li[data-flag-id]').filter({ hasText: residentName });
	}

	/** Fills the note and presses the button, whatever the answer. */
	async submitResolve(residentName: string, note: string): Promise<void> {
		const flag = this.flagOf(residentName);
		await flag.getByLabel('处理说明（可不填）').fill(note);
		await flag.getByRole('button', { name: '标记为已处理' }).click();
	}

	async resolve(residentName: string, note: string): Promise<void> {
		await this.submitResolve(residentName, note);
		await expect(this.done).toHaveText('已标记为已处理');
	}
}
