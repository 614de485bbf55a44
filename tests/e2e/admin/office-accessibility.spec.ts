import { OFFICE_PAGES } from '../../../src/lib/office/office-pages';
import { expectNoA11yViolations } from '../fixtures/axe';
import { test, expect } from '../fixtures/test';

/*
 * Issue 13 §5: axe-core finds nothing on any office page. Every page of the office menu is opened
 * as the demo admin (who may open them all), plus the pages reached from them that the other
 * specs do not always visit; the page models check the screens of each flow on top of this.
 */

const PAGES_BEYOND_THE_MENU = [
	'/admin',
	'/admin/residents/new',
	'/admin/residents/import',
	'/admin/items/new',
	'/admin/no-such-page'
];

test.describe('office pages as the admin', () => {
	test('every page of the office menu passes axe-core', async ({ office }) => {
		const page = await office.context.newPage();
		for (const { href, label } of Object.values(OFFICE_PAGES)) {
			await page.goto(href);
			await expect(page.locator('h1')).toBeVisible();
			await expectNoA11yViolations(page, `office ${label} (${href})`);
		}
		await page.close();
	});

	test('the office pages reached from the menu pass axe-core', async ({ office }) => {
		const page = await office.context.newPage();
		for (const path of PAGES_BEYOND_THE_MENU) {
			await page.goto(path);
			await expect(page.locator('h1')).toBeVisible();
			await expectNoA11yViolations(page, `office ${path}`);
		}
		await page.close();
	});
});

test('the pages outside the office session pass axe-core', async ({ page }) => {
	for (const path of ['/admin/login', '/demo/cards']) {
		await page.goto(path);
		await expect(page.locator('h1').first()).toBeVisible();
		await expectNoA11yViolations(page, path);
	}
});
