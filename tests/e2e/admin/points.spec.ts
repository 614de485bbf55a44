import { installFakeCamera } from '../fixtures/fake-camera';
import { expect, test } from '../fixtures/test';
import { DESKTOP, officeLogIn, PHONE, pointRecords, PointsPage } from './points-page';

/*
 * Recording points in the office: a 网格员 on a phone records an activity for residents he ticks
 * in the list and one whose card he scans, the double click records once, an admin approves it,
 * and the 网格员 cannot approve anything himself.
 */

const shot = (name: string, size: { width: number }) =>
	`test-results/office-${name}-${size.width === PHONE.width ? 375 : 1440}.png`;

test('a 网格员 records a batch on a phone, once; an admin approves it; the 网格员 cannot', async ({
	browser,
	playwright,
	server,
	demoCards,
	serverDb
}) => {
	const context = await officeLogIn(browser, server.baseURL, 'grid', PHONE);
	const scanned = demoCards.find((card) => card.status === 'active' && card.residentId !== null)!;
	await installFakeCamera(context, scanned.credential);
	const page = await context.newPage();
	const points = new PointsPage(page);
	await points.open();
	await page.screenshot({ path: shot('points-empty', PHONE), fullPage: true });

	await points.chooseRule('清扫楼道');
	// Three residents ticked in the list (not the one whose card comes next).
	const boxes = points.results;
	await expect(boxes.first()).toBeVisible();
	const ticked: number[] = [];
	for (let i = 0; ticked.length < 3; i++) {
		const value = Number(await boxes.nth(i).getAttribute('value'));
		if (value === scanned.residentId) continue;
		await boxes.nth(i).check();
		ticked.push(value);
	}
	await expect(points.chips).toHaveCount(3);

	// One more by scanning the card with the camera; the same card again says so.
	await page.getByRole('button', { name: '扫描积分卡添加居民' }).click();
	await expect(page.getByText(/^已添加 .+（.+）$/)).toBeVisible();
	await expect(points.chips).toHaveCount(4);
	await page.getByRole('button', { name: '停止扫描' }).click();

	// A photo of the clean stairwell, resized in the browser before it is sent.
	const png = await page.evaluate(() => {
		const canvas = document.createElement('canvas');
		canvas.width = 2400;
		canvas.height = 1800;
		const context = canvas.getContext('2d')!;
		context.fillStyle = '#4a7';
		context.fillRect(0, 0, 2400, 1800);
		return canvas.toDataURL('image/png').split(',')[1]!;
	});
	await page.getByLabel('照片（可不填）').setInputFiles({
		name: 'stairs.png',
		mimeType: 'image/png',
		buffer: Buffer.from(png, 'base64')
	});
	await expect(page.getByAltText('照片（可不填）预览')).toBeVisible();
	await page.screenshot({ path: shot('points-residents', PHONE), fullPage: true });

	await points.next();
	const today = new Date().toLocaleDateString('zh-CN', {
		timeZone: 'Asia/Shanghai',
		month: 'numeric',
		day: 'numeric'
	});
	const [month, day] = today.split('/');
	await expect(points.summary).toHaveText(`清扫楼道 · 2 分 × 4 人 = 8 分 · ${month}月${day}日`);
	await page.screenshot({ path: shot('points-confirm', PHONE), fullPage: true });

	await page.getByRole('button', { name: '确认保存' }).dblclick();
	await expect(page.getByRole('heading', { name: '已保存' })).toBeVisible();
	await expect(page.getByText('等待管理员审核')).toBeVisible();
	await page.screenshot({ path: shot('points-saved', PHONE), fullPage: true });
	await page.getByRole('button', { name: '录入下一批' }).click();
	await expect(page.getByText('还没有添加居民', { exact: true }).first()).toBeVisible();
	await expect(points.chips).toHaveCount(0);

	const residentIds = [...ticked, scanned.residentId!].sort((a, b) => a - b);
	const mine = pointRecords(
		server.databasePath,
		`resident_id IN (${residentIds.join(',')}) AND status = 'pending'`
	);
	expect(mine.map((r) => r.residentId).sort((a, b) => a - b)).toEqual(residentIds);
	const batchKey = mine[0]!.batchKey;
	expect(new Set(mine.map((r) => r.batchKey))).toEqual(new Set([batchKey]));

	// The same form sent again (a reload re-posting it) records nothing more.
	const again = await page.request.post('/admin/points?/record', {
		headers: { origin: server.baseURL, 'x-sveltekit-action': 'true' },
		multipart: {
			batchKey,
			ruleId: String(await ruleIdOf(page, '清扫楼道')),
			occurredOn: new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }),
			residentId: String(residentIds[0])
		}
	});
	expect(await again.text()).toContain('duplicate');
	expect(pointRecords(server.databasePath, 'batch_key = ?', batchKey)).toHaveLength(4);

	// The 网格员 sees his batch as pending, without buttons, and cannot approve it directly.
	await page.goto('/admin/points/review');
	await expect(page.locator(`[data-batch="${batchKey}"]`)).toContainText('待审核');
	await expect(page.getByRole('button', { name: '通过', exact: true })).toHaveCount(0);
	await page.screenshot({ path: 'test-results/office-review-grid-375.png', fullPage: true });
	const approve = await page.request.post('/admin/points/review?/approve', {
		headers: { origin: server.baseURL },
		form: { recordId: String(mine[0]!.id) }
	});
	expect(approve.status()).toBe(403);
	const approveAll = await page.request.post('/admin/points/review?/approveAll', {
		headers: { origin: server.baseURL },
		form: {}
	});
	expect(approveAll.status()).toBe(403);
	expect(pointRecords(server.databasePath, 'batch_key = ?', batchKey).map((r) => r.status)).toEqual(
		['pending', 'pending', 'pending', 'pending']
	);
	const rules = await page.goto('/admin/rules');
	expect(rules?.status()).toBe(403);
	await expect(page.getByText('你的账号没有权限打开这个页面')).toBeVisible();
	const correct = await page.goto('/admin/points/correct/1');
	expect(correct?.status()).toBe(403);
	await context.close();

	// The admin approves the batch; each resident's balance rises by 2.
	const before = serverDb.ledgerBalances();
	const desk = await officeLogIn(browser, server.baseURL, 'admin', DESKTOP);
	const deskReview = await desk.newPage();
	await deskReview.goto('/admin/points/review');
	await expect(deskReview.locator(`[data-batch="${batchKey}"]`)).toBeVisible();
	// The evidence photo is shown to the office, and to no one else.
	const photo = deskReview.locator(`[data-batch="${batchKey}"] img`);
	await expect(photo).toBeVisible();
	const width = await photo.evaluate((image: HTMLImageElement) =>
		image.decode().then(() => image.naturalWidth)
	);
	expect(width).toBe(1280);
	const anonymous = await playwright.request.newContext({ baseURL: server.baseURL });
	const outsider = await anonymous.get((await photo.getAttribute('src'))!, { maxRedirects: 0 });
	expect(outsider.status()).toBe(303);
	await anonymous.dispose();
	await deskReview.screenshot({ path: shot('review', DESKTOP), fullPage: true });
	await desk.close();
	const admin = await officeLogIn(browser, server.baseURL, 'admin', PHONE);
	const review = await admin.newPage();
	await review.goto('/admin/points/review');
	await review.screenshot({ path: shot('review', PHONE), fullPage: true });
	await review
		.locator(`[data-batch="${batchKey}"]`)
		.getByRole('button', { name: '通过这一批（4 人）' })
		.click();
	await expect(review.getByText('已通过 4 条')).toBeVisible();
	const after = serverDb.ledgerBalances();
	for (const id of residentIds) expect(after.get(id)).toBe(before.get(id)! + 2);
	const approved = pointRecords(server.databasePath, 'batch_key = ?', batchKey);
	expect(approved.every((r) => r.status === 'approved' && r.ledgerEntryId !== null)).toBe(true);

	// One of them was a mistake: the admin corrects that entry with a reversal, once.
	const wrong = approved[0]!;
	await review.goto(`/admin/points/correct/${wrong.ledgerEntryId}`);
	await expect(review.getByText('+2 分', { exact: true })).toBeVisible();
	await review.getByLabel('更正原因（必填）').fill('记错了人');
	await review.getByRole('button', { name: '确认更正' }).click();
	await expect(review.getByRole('heading', { name: '已更正' })).toBeVisible();
	await expect(review.getByText(/冲销 -2 分，原因：记错了人/)).toBeVisible();
	expect(serverDb.ledgerBalance(wrong.residentId)).toBe(before.get(wrong.residentId)!);
	await admin.close();
});

async function ruleIdOf(page: import('@playwright/test').Page, name: string): Promise<number> {
	await page.goto('/admin/points');
	const value = await page
		.getByLabel('项目', { exact: true })
		.locator('option', { hasText: name })
		.first()
		.getAttribute('value');
	return Number(value);
}

test('the rules and points screens at 1440×900 and 375×667, and text typed as HTML stays text', async ({
	browser,
	server
}) => {
	for (const size of [DESKTOP, PHONE]) {
		const context = await officeLogIn(browser, server.baseURL, 'admin', size);
		const page = await context.newPage();
		await page.goto('/admin/rules');
		await expect(page.getByRole('heading', { level: 1, name: '积分清单和负面清单' })).toBeVisible();
		if (size === DESKTOP) {
			// A rule named like a script is shown as its text, on the rules page and on the TV feed.
			await page.getByText('新增项目', { exact: true }).first().click();
			await page.getByLabel('项目名称').first().fill('<img src=x onerror=alert(1)>');
			await page.getByLabel(/^分值/).first().fill('3');
			await page.getByRole('button', { name: '新增项目' }).click();
			await expect(page.getByText('已新增“<img src=x onerror=alert(1)>”')).toBeVisible();
			await expect(page.getByText('<img src=x onerror=alert(1)>', { exact: true })).toBeVisible();
			await expect(page.locator('img[src="x"]')).toHaveCount(0);
			// 0 and 1,000,000 points are refused.
			for (const points of ['0', '1000000']) {
				await page.getByLabel('项目名称').first().fill('零分项目');
				const field = page.getByLabel(/^分值/).first();
				await field.fill(points);
				// Past the browser's own min/max check, as a hand-made request would be.
				await field.evaluate((input: HTMLInputElement) => input.removeAttribute('min'));
				await field.evaluate((input: HTMLInputElement) => input.removeAttribute('max'));
				await page.getByRole('button', { name: '新增项目' }).click();
				await expect(page.getByText('分值请填 1 到 1000 之间的整数')).toBeVisible();
			}
			await expect(page.getByText('零分项目')).toHaveCount(0);
		}
		await page.screenshot({ path: shot('rules', size), fullPage: true });

		const points = new PointsPage(page);
		await points.open();
		if (size === DESKTOP)
			await page.screenshot({ path: shot('points-empty', size), fullPage: true });
		await points.chooseRule('垃圾分类');
		await points.search('1单元');
		await expect(page.getByText(/^找到 \d+ 位/)).toBeVisible();
		await points.results.nth(0).check();
		await points.results.nth(1).check();
		await page.getByLabel(/^情况说明/).fill('<script>alert("x")</script>');
		if (size === DESKTOP) {
			await page.screenshot({ path: shot('points-residents', size), fullPage: true });
		}
		await points.next();
		await expect(page.getByText('说明：<script>alert("x")</script>')).toBeVisible();
		if (size === DESKTOP) {
			await page.screenshot({ path: shot('points-confirm', size), fullPage: true });
		}
		await page.getByRole('button', { name: '返回修改' }).click();
		await expect(points.chips).toHaveCount(2);
		await page.goto('/admin/points/review');
		await expect(page.getByRole('heading', { level: 1, name: '积分审核' })).toBeVisible();
		await context.close();
	}
});

test('a photo that is not an image, or 30 MB, is refused and records nothing', async ({
	browser,
	server
}) => {
	const context = await officeLogIn(browser, server.baseURL, 'admin', DESKTOP);
	const page = await context.newPage();
	const points = new PointsPage(page);
	await points.open();
	const ruleId = await page
		.getByLabel('项目', { exact: true })
		.locator('option', { hasText: '垃圾分类' })
		.first()
		.getAttribute('value');
	const residentId = await points.results.first().getAttribute('value');
	const post = (batchKey: string, buffer: Buffer, mimeType: string) =>
		page.request.post('/admin/points?/record', {
			headers: { origin: server.baseURL, 'x-sveltekit-action': 'true' },
			multipart: {
				batchKey,
				ruleId: ruleId!,
				occurredOn: new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }),
				residentId: residentId!,
				photo: { name: 'photo.jpg', mimeType, buffer }
			}
		});

	const notImage = await post(
		'photo-not-an-image-1',
		Buffer.from('<svg onload="alert(1)"></svg>'),
		'image/jpeg'
	);
	expect(await notImage.text()).toContain('这不是一张图片');
	const huge = await post(
		'photo-thirty-megabytes',
		Buffer.alloc(30 * 1024 * 1024, 0xff),
		'image/jpeg'
	);
	expect(huge.ok()).toBe(false);
	expect(
		pointRecords(
			server.databasePath,
			"batch_key IN ('photo-not-an-image-1', 'photo-thirty-megabytes')"
		)
	).toEqual([]);
	await context.close();
});
