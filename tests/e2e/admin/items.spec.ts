import type { Browser, Page } from '@playwright/test';
import { installFakeCamera } from '../fixtures/fake-camera';
import { expect, test } from '../fixtures/test';
import { genuineResidentCards } from '../fixtures/test-cards';
import { KioskPage } from '../kiosk/kiosk-page';
import { CataloguePages, drawnPng } from './catalogue-page';

/*
 * The catalogue (issue 11 §6): the admin creates two items with pictures and changes a price; a
 * kiosk pulls, shows the new price, and with the network off and after a reload still shows the
 * pictures. Then every bad input: prices out of bounds, a file that is not a picture, an SVG, a
 * 30 MB photo, HTML in the text fields; and a 网格员 cannot open or change the catalogue.
 * Names here are used by no other spec (other kiosks see these items too: they are priced above
 * the demo's cheapest, which other specs pick).
 */

const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 375, height: 667 };
/** HTML in the category and a name: both must show as the characters typed. */
const CATEGORY = '<i>图测</i>';
const PLANT = '绿萝盆栽（图片测试）';
const SCRIPTED = '<img src=x onerror=alert(1)>';

async function shoot(page: Page, name: string, size: { width: number; height: number }) {
	await page.setViewportSize(size);
	await page.screenshot({
		path: `test-results/office-items-${name}-${size.width}.png`,
		fullPage: true
	});
}

async function logIn(browser: Browser, baseURL: string, username: string, javaScript = true) {
	const context = await browser.newContext({
		baseURL,
		locale: 'zh-CN',
		javaScriptEnabled: javaScript,
		viewport: PHONE
	});
	const page = await context.newPage();
	await page.goto('/admin/login');
	await page.locator('input[name="username"]').fill(username);
	await page.locator('input[name="password"]').fill('demo1234');
	await page.locator('form button[type="submit"]').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/admin/login'));
	return { context, page };
}

test('two items with pictures reach a kiosk, a new price on its next pull, and the pictures show with the network off', async ({
	office,
	context,
	mintEnrollCode,
	demoCards,
	serverDb
}) => {
	test.setTimeout(150_000);
	const adminPage = await office.context.newPage();
	await adminPage.setViewportSize(WIDE);
	const catalogue = new CataloguePages(adminPage);
	const alerts: string[] = [];
	adminPage.on('dialog', (dialog) => {
		alerts.push(dialog.message());
		void dialog.dismiss();
	});

	const plantId = await test.step('the admin creates a goods item with a picture', async () => {
		await catalogue.openNewForm();
		await catalogue.fill({
			name: PLANT,
			category: CATEGORY,
			kind: 'goods',
			points: '66',
			stockTracked: false,
			picture: {
				name: 'plant.png',
				mimeType: 'image/png',
				buffer: await drawnPng('PLANT', '#15803d')
			}
		});
		await shoot(adminPage, 'form', WIDE);
		await shoot(adminPage, 'form', PHONE);
		await adminPage.setViewportSize(WIDE);
		return catalogue.save();
	});

	const scriptedId = await test.step('and a service whose name is HTML, with a picture', async () =>
		catalogue.create({
			name: SCRIPTED,
			category: CATEGORY,
			kind: 'service',
			points: '58',
			picture: {
				name: 'service.png',
				mimeType: 'image/png',
				buffer: await drawnPng('SERVICE', '#1d4ed8')
			}
		}));
	await expect(adminPage.getByTestId('item-name')).toHaveText(SCRIPTED);

	const [card] = await genuineResidentCards(demoCards, serverDb.community());
	if (!card) throw new Error('the demo sheet has no genuine resident card');
	const kiosk = new KioskPage(await context.newPage());
	const plantCard = kiosk.itemCard(plantId);
	const scriptedCard = kiosk.itemCard(scriptedId);
	const pictureDrawn = (itemCard: typeof plantCard) =>
		itemCard.locator('img').evaluate((image: HTMLImageElement) => image.naturalWidth > 0);

	await test.step('a kiosk pulls and keeps both pictures before anyone looks at them', async () => {
		await installFakeCamera(kiosk.page, null);
		await kiosk.open();
		await kiosk.enroll(await mintEnrollCode());
		await kiosk.waitForSynced();
		await kiosk.page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		await expect
			.poll(
				() =>
					kiosk.page.evaluate(async () => {
						const cache = await caches.open('item-pictures');
						return (await cache.keys()).filter((request) => request.url.includes('/media/items/'))
							.length;
					}),
				{ timeout: 20_000 }
			)
			.toBeGreaterThanOrEqual(2);
	});

	await test.step('a resident sees both with their pictures, and HTML as text', async () => {
		await kiosk.scanByWedge(card.credential);
		await kiosk.expectResident();
		await kiosk.categoryTabs.filter({ hasText: CATEGORY }).click();
		await expect(plantCard).toHaveAttribute('data-points', '66');
		await expect(scriptedCard).toContainText(SCRIPTED);
		await expect.poll(() => pictureDrawn(plantCard)).toBe(true);
		await kiosk.exit();
	});

	await test.step('the admin changes the first one’s price; its page keeps both prices', async () => {
		await catalogue.edit(plantId, { points: '68' });
		await expect(adminPage.getByTestId('item-price')).toHaveText('68 积分');
		const history = adminPage.getByTestId('price-history');
		await expect(history.locator('tbody tr')).toHaveCount(2);
		await expect(history.locator('tbody tr').first()).toContainText('68（现价）');
		await expect(history.locator('tbody tr').nth(1)).toContainText('66');
		await catalogue.expectPicturesDrawn();
		await shoot(adminPage, 'item', WIDE);
		await shoot(adminPage, 'item', PHONE);
	});

	await test.step('the list shows both with pictures, and HTML as text', async () => {
		await adminPage.setViewportSize(WIDE);
		await catalogue.openList();
		await expect(catalogue.row(plantId)).toContainText(PLANT);
		await expect(catalogue.row(plantId).getByTestId('item-price')).toHaveText('68 积分');
		await expect(catalogue.row(scriptedId)).toContainText(SCRIPTED);
		await expect(catalogue.row(scriptedId)).toContainText(CATEGORY);
		await expect(adminPage.locator('img[src="x"], i:text("图测")')).toHaveCount(0);
		await catalogue.expectPicturesDrawn(catalogue.row(plantId));
		await catalogue.expectPicturesDrawn(catalogue.row(scriptedId));
		await shoot(adminPage, 'list', WIDE);
		await shoot(adminPage, 'list', PHONE);
	});

	await test.step('the stock view lists stock-tracked goods, the lowest first', async () => {
		await adminPage.setViewportSize(WIDE);
		await adminPage.goto('/admin/items/stock');
		const counts = await adminPage.getByTestId('stock-count').allInnerTexts();
		expect(counts.length).toBeGreaterThan(1);
		expect(counts.map(Number)).toEqual(counts.map(Number).sort((a, b) => a - b));
		await expect(
			adminPage.locator(`[data-testid="stock-line"][data-item-id="${plantId}"]`)
		).toHaveCount(0);
		await shoot(adminPage, 'stock', WIDE);
		await shoot(adminPage, 'stock', PHONE);
		await adminPage.setViewportSize(WIDE);
		await adminPage.getByTestId('stock-line').last().getByRole('link').click();
		await expect(
			adminPage.getByTestId('stock-movements').locator('tbody tr').first()
		).toContainText(/兑换|入库|盘点|报损/);
		await shoot(adminPage, 'item-movements', WIDE);
	});

	await test.step('the kiosk’s next pull brings the new price to the resident', async () => {
		// Back online is one of the moments the kiosk syncs (the others: a timer, a redemption).
		await context.setOffline(true);
		await kiosk.expectOnline(false);
		await context.setOffline(false);
		await expect(async () => {
			if (await kiosk.residentPanel.isVisible()) await kiosk.exit();
			await kiosk.scanByWedge(card.credential);
			await kiosk.expectResident();
			await kiosk.categoryTabs.filter({ hasText: CATEGORY }).click();
			await expect(plantCard).toHaveAttribute('data-points', '68', { timeout: 1_000 });
		}).toPass({ timeout: 45_000 });
		await expect(plantCard).toContainText('68 积分');
		await expect(scriptedCard).toContainText(SCRIPTED);
		await expect.poll(() => pictureDrawn(plantCard)).toBe(true);
		await kiosk.page.screenshot({ path: 'test-results/kiosk-items-new-1280.png' });
		await kiosk.exit();
	});

	await test.step('with the network off and after a reload, the pictures still show', async () => {
		// Without the browser's own HTTP cache, a picture can only come from the service worker's.
		const cdp = await context.newCDPSession(kiosk.page);
		await cdp.send('Network.clearBrowserCache');
		await cdp.detach();
		await context.setOffline(true);
		await kiosk.page.reload();
		await kiosk.waitForAttract();
		expect(await kiosk.page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
		await kiosk.expectOnline(false);
		await kiosk.scanByWedge(card.credential);
		await kiosk.expectResident();
		await kiosk.categoryTabs.filter({ hasText: CATEGORY }).click();
		await expect(plantCard.locator('img')).toBeVisible();
		await expect.poll(() => pictureDrawn(plantCard)).toBe(true);
		await expect.poll(() => pictureDrawn(scriptedCard)).toBe(true);
		await kiosk.page.screenshot({ path: 'test-results/kiosk-items-offline-1280.png' });
		await context.setOffline(false);
	});

	await test.step('the admin retires both; they move to the retired filter', async () => {
		await catalogue.openList('active');
		await catalogue.row(plantId).getByRole('button', { name: '下架' }).click();
		await expect(adminPage.getByRole('status')).toHaveText(`已下架：${PLANT}`);
		// The answer takes the focus: the next step starts from it.
		await expect(adminPage.getByRole('status')).toBeFocused();
		await expect(catalogue.row(plantId)).toHaveCount(0);
		await catalogue.openList('all');
		await catalogue.row(scriptedId).getByRole('button', { name: '下架' }).click();
		await expect(adminPage.getByRole('status')).toHaveText(`已下架：${SCRIPTED}`);
		await expect(catalogue.row(scriptedId)).toContainText('已下架');
		await catalogue.openList('retired');
		await expect(catalogue.row(plantId)).toBeVisible();
		await expect(catalogue.row(scriptedId)).toBeVisible();
	});

	expect(alerts).toEqual([]);
});

test('bad input gets a Chinese answer on screen and creates nothing', async ({
	browser,
	server
}) => {
	test.setTimeout(90_000);
	const { context, page } = await logIn(browser, server.baseURL, 'admin');
	const catalogue = new CataloguePages(page);
	const name = '价格边界测试品';

	await test.step('a price of −1 or a billion is refused, and the form keeps what was typed', async () => {
		await catalogue.openNewForm();
		await catalogue.fill({ name, category: '测试', kind: 'goods', points: '-1' });
		await catalogue.submitUnchecked();
		await expect(catalogue.formError()).toHaveText('积分价格要填 1 到 100,000 之间的整数');
		await expect(page.getByLabel('名称')).toHaveValue(name);
		await catalogue.fill({ points: '1000000000' });
		await catalogue.submitUnchecked();
		await expect(catalogue.formError()).toHaveText('积分价格要填 1 到 100,000 之间的整数');
		await expect(catalogue.formError()).toBeInViewport();
		await shoot(page, 'form-error', PHONE);
	});

	await test.step('the browser will not take an SVG or a text file for a picture', async () => {
		await page.getByLabel('图片', { exact: true }).setInputFiles({
			name: 'logo.svg',
			mimeType: 'image/svg+xml',
			buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
		});
		await expect(
			page.getByRole('alert').filter({ hasText: '请选择 JPG、PNG 或 WebP' })
		).toBeVisible();
	});

	await catalogue.openList('all');
	await expect(page.getByText(name)).toHaveCount(0);
	await context.close();
});

test('without JavaScript the server refuses an SVG, a non-picture and a 30 MB photo in Chinese', async ({
	browser,
	server
}) => {
	test.setTimeout(90_000);
	const { context, page } = await logIn(browser, server.baseURL, 'admin', false);
	const catalogue = new CataloguePages(page);
	const name = '无脚本上传测试';
	const tryPicture = async (picture: { name: string; mimeType: string; buffer: Buffer }) => {
		await page.goto('/admin/items/new');
		await catalogue.fill({ name, category: '测试', kind: 'service', points: '12' });
		await page.getByLabel('图片', { exact: true }).setInputFiles(picture);
		await page.locator('form.item-form button[type="submit"]').click();
		return catalogue.formError();
	};

	const svg = await tryPicture({
		name: 'photo.png',
		mimeType: 'image/png',
		buffer: Buffer.from(
			'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>'
		)
	});
	await expect(svg).toHaveText('这不是一张图片，请选择 JPG、PNG 或 WebP 格式的照片');
	await expect(page.getByLabel('名称')).toHaveValue(name);

	const text = await tryPicture({
		name: 'notes.jpg',
		mimeType: 'image/jpeg',
		buffer: Buffer.from('这是一段文字，不是照片')
	});
	await expect(text).toHaveText('这不是一张图片，请选择 JPG、PNG 或 WebP 格式的照片');

	const huge = Buffer.alloc(30 * 1024 * 1024);
	(await drawnPng('HUGE', '#000000')).copy(huge);
	const tooLarge = await tryPicture({ name: 'huge.png', mimeType: 'image/png', buffer: huge });
	await expect(tooLarge).toContainText('提交的内容太大了');
	await expect(page.getByRole('heading', { name: '新增商品或服务' })).toBeVisible();
	await shoot(page, 'too-large', PHONE);

	await catalogue.openList('all');
	await expect(page.getByText(name)).toHaveCount(0);
	await context.close();
});

test('a 网格员 can neither open the catalogue nor change it', async ({ browser, server }) => {
	const { context, page } = await logIn(browser, server.baseURL, 'grid');
	const answer = await page.goto('/admin/items');
	expect(answer?.status()).toBe(403);
	await expect(page.getByText('你的账号没有权限打开这个页面')).toBeVisible();
	for (const path of ['/admin/items/new', '/admin/items/stock', '/admin/items/1']) {
		expect((await page.goto(path))?.status()).toBe(403);
	}
	const posted = await page.request.post('/admin/items/new', {
		multipart: {
			name: '网格员偷偷加的',
			category: '测试',
			kind: 'service',
			points: '5',
			sortOrder: '0'
		},
		headers: { origin: server.baseURL }
	});
	expect(posted.status()).toBe(403);
	await context.close();
});
