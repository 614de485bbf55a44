import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { logInToOffice } from '../fixtures/office';

/*
 * The office's points screens as a person uses them, and a read-only look at the point records
 * the server keeps for them.
 */

export const PHONE = { width: 375, height: 667 } as const;
export const DESKTOP = { width: 1440, height: 900 } as const;

/** Logs a demo office account in, in a fresh context of the given size. */
export function officeLogIn(
	browser: Browser,
	baseURL: string,
	username: 'admin' | 'grid',
	viewport: { width: number; height: number }
): Promise<BrowserContext> {
	return logInToOffice(browser, baseURL, { username, password: 'demo1234' }, viewport);
}

export class PointsPage {
	constructor(readonly page: Page) {}

	async open(): Promise<void> {
		// Once the page's script has taken the form over: a rule chosen before that is reset by
		// hydration (a loaded CI run saw the select back at 请选择项目 and the phone stuck).
		await this.page.goto('/admin/points', { waitUntil: 'networkidle' });
		await this.page.getByRole('heading', { level: 1, name: '录入积分' }).waitFor();
	}

	async chooseRule(name: string): Promise<void> {
		const select = this.page.getByLabel('项目', { exact: true });
		const value = await select.locator('option', { hasText: name }).first().getAttribute('value');
		await select.selectOption(value!);
	}

	/** The search results' tick boxes. */
	get results(): Locator {
		return this.page.getByRole('list', { name: '查找结果' }).getByRole('checkbox');
	}

	get chips(): Locator {
		return this.page.getByRole('list', { name: '已添加的居民' }).getByRole('listitem');
	}

	async search(text: string): Promise<void> {
		await this.page.getByRole('searchbox', { name: '查找居民' }).fill(text);
		await this.page.getByRole('button', { name: '查找', exact: true }).click();
	}

	async next(): Promise<void> {
		await this.page.getByRole('button', { name: '下一步：核对' }).click();
		await this.page.getByRole('heading', { name: '请核对' }).waitFor();
	}

	get summary(): Locator {
		return this.page.getByTestId('batch-summary');
	}
}

export interface RecordRow {
	id: number;
	residentId: number;
	status: string;
	batchKey: string;
	ledgerEntryId: number | null;
	note: string | null;
}

/** Read-only look at the point records in the server's SQLite file. */
export function pointRecords(
	databasePath: string,
	where = '1 = 1',
	...params: unknown[]
): RecordRow[] {
	const db = new Database(databasePath, { readonly: true, fileMustExist: true });
	try {
		return db
			.prepare(
				`SELECT id, resident_id AS residentId, status, batch_key AS batchKey,
				 ledger_entry_id AS ledgerEntryId, note FROM point_records WHERE ${where} ORDER BY id`
			)
			.all(...params) as RecordRow[];
	} finally {
		db.close();
	}
}
