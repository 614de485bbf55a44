import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expectNoA11yViolations } from '../fixtures/axe';
import { logInToOffice } from '../fixtures/office';
import { expect } from '../fixtures/test';

/** The office's residents screens, as a clerk uses them. */
export class ResidentsPages {
	constructor(readonly page: Page) {}

	async importCsv(fileName: string, text: string): Promise<void> {
		await this.page.goto('/admin/residents/import');
		await this.page.locator('input[type="file"]').setInputFiles({
			name: fileName,
			mimeType: 'text/csv',
			buffer: Buffer.from('\uFEFF' + text, 'utf8')
		});
		await this.page.getByRole('button', { name: '预览' }).click();
		await expect(this.page.getByRole('heading', { name: '第二步：看预览，再确认' })).toBeVisible();
		await expectNoA11yViolations(this.page, 'office residents import preview');
	}

	planRow(line: number) {
		return this.page.locator(`[data-plan-line="${line}"]`);
	}

	async confirmImport(): Promise<void> {
		await this.page.getByRole('button', { name: '确认导入' }).click();
		await expect(this.page.getByRole('heading', { name: '导入完成' })).toBeVisible();
		await expectNoA11yViolations(this.page, 'office residents import done');
	}

	async search(text: string): Promise<void> {
		await this.page.goto('/admin/residents');
		await this.page.getByRole('searchbox').fill(text);
		await this.page.getByRole('button', { name: '查找' }).click();
		await expect(this.page).toHaveURL(/q=/);
		await expectNoA11yViolations(this.page, 'office residents search');
	}

	resultRow(name: string) {
		return this.page.locator('.residents li', { hasText: name });
	}

	async moveOut(): Promise<void> {
		await this.page.getByRole('link', { name: '迁出' }).click();
		await this.page.getByRole('button', { name: '确认迁出' }).click();
		await expect(this.page.getByRole('status')).toContainText('已迁出');
	}

	async screenshot(name: string): Promise<void> {
		await this.page.screenshot({ path: `test-results/office-${name}.png`, fullPage: true });
	}
}

/** A signed-in context for a demo office account (e.g. the 网格员 'grid'). */
export function logInAs(
	browser: Browser,
	baseURL: string,
	username: string
): Promise<BrowserContext> {
	return logInToOffice(browser, baseURL, { username, password: 'demo1234' });
}
