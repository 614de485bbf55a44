import { expect, type Locator, type Page } from '@playwright/test';
import QRCode from 'qrcode';
import { expectNoA11yViolations } from '../fixtures/axe';

/** What the office types into the item form. */
export interface ItemFields {
	name: string;
	category: string;
	kind: 'goods' | 'service' | 'course';
	points: string;
	stockTracked?: boolean;
	/** A picture file to choose (the form shrinks it in the browser before upload). */
	picture?: { name: string; mimeType: string; buffer: Buffer };
}

const KIND_LABELS = { goods: '商品', service: '服务', course: '课程' } as const;

/** A real PNG: a QR code in the given colours, `scale` pixels a module. */
export async function drawnPng(text: string, dark: string, scale = 12): Promise<Buffer> {
	return QRCode.toBuffer(text, {
		type: 'png',
		scale,
		margin: 2,
		color: { dark, light: '#fffbeb' }
	});
}

/**
 * The office's catalogue pages (/admin/items) as an admin uses them: the list, the new/edit form
 * and an item's own page.
 */
export class CataloguePages {
	constructor(readonly page: Page) {}

	readonly formError = () => this.page.getByTestId('item-form-error');

	async openList(status?: 'active' | 'retired' | 'all'): Promise<void> {
		await this.page.goto(status ? `/admin/items?status=${status}` : '/admin/items');
		await expect(this.page.getByRole('heading', { name: '商品服务' })).toBeVisible();
	}

	async openNewForm(): Promise<void> {
		await this.page.goto('/admin/items/new');
		await expect(this.page.getByRole('heading', { name: '新增商品或服务' })).toBeVisible();
		// The form is drawn by the server first; typed before the page's script has taken it over,
		// a field can be reset (a busy machine showed an empty name after it was typed).
		await this.page.waitForLoadState('networkidle');
	}

	/** Fills the open form; waits for the chosen picture's preview (it has been shrunk). */
	async fill(fields: Partial<ItemFields>): Promise<void> {
		const form = this.page.locator('form.item-form');
		if (fields.name !== undefined) await form.getByLabel('名称').fill(fields.name);
		if (fields.category !== undefined) await form.getByLabel('分类').fill(fields.category);
		if (fields.kind) {
			await form.getByRole('radio', { name: KIND_LABELS[fields.kind], exact: true }).check();
		}
		if (fields.points !== undefined) await form.getByLabel('积分价格').fill(fields.points);
		if (fields.stockTracked !== undefined) {
			await form.getByRole('checkbox', { name: /记库存/ }).setChecked(fields.stockTracked);
		}
		if (fields.picture) {
			await form.getByLabel('图片', { exact: true }).setInputFiles(fields.picture);
			await expect(form.getByRole('img', { name: '图片预览' })).toBeVisible();
		}
	}

	/** Sends the form past the browser's own checks, as a hand-made request would. */
	async submitUnchecked(): Promise<void> {
		await this.page.locator('form.item-form').evaluate((form: HTMLFormElement) => {
			form.noValidate = true;
		});
		await this.page.locator('form.item-form button[type="submit"]').click();
	}

	/** Saves the form and lands on the item's page; answers the item's id. */
	async save(): Promise<number> {
		await this.page.locator('form.item-form button[type="submit"]').click();
		await this.page.waitForURL(/\/admin\/items\/\d+\?saved=/);
		await expect(this.page.getByRole('status')).toContainText('已');
		return Number(/\/admin\/items\/(\d+)/.exec(this.page.url())![1]);
	}

	async create(fields: ItemFields): Promise<number> {
		await this.openNewForm();
		await this.fill(fields);
		return this.save();
	}

	async openItem(itemId: number): Promise<void> {
		await this.page.goto(`/admin/items/${itemId}`);
		await expect(this.page.getByTestId('item-name')).toBeVisible();
		await expectNoA11yViolations(this.page, 'office item');
	}

	async edit(itemId: number, fields: Partial<ItemFields>): Promise<void> {
		await this.page.goto(`/admin/items/${itemId}/edit`);
		await this.page.waitForLoadState('networkidle');
		await expectNoA11yViolations(this.page, 'office item edit form');
		await this.fill(fields);
		await this.save();
	}

	row(itemId: number) {
		return this.page.locator(`[data-testid="item-row"][data-item-id="${itemId}"]`);
	}

	/** Waits until each picture in `scope` has loaded and drawn (scrolled to: they load lazily). */
	async expectPicturesDrawn(scope: Locator = this.page.locator('main')): Promise<void> {
		const images = scope.locator('img');
		expect(await images.count()).toBeGreaterThan(0);
		for (const image of await images.all()) {
			await image.scrollIntoViewIfNeeded();
			await expect
				.poll(() =>
					image.evaluate(
						(element: HTMLImageElement) => element.complete && element.naturalWidth > 0
					)
				)
				.toBe(true);
		}
	}
}
