import { expect, test } from '../fixtures/test';

/*
 * The office sees what the lobby TV shows: the demo's current board marked as on screen, the
 * stories with their status and pictures, merchants and buildings with stars, and the playlist.
 */

test('the office page lists the lobby content of the demo community', async ({ office }) => {
	const page = await office.context.newPage();
	try {
		await page.goto('/admin');
		await page.getByRole('navigation').getByRole('link', { name: '大堂屏幕' }).click();
		await expect(page.getByRole('heading', { level: 1, name: '大堂屏幕内容' })).toBeVisible();

		const onScreen = page.locator('tr.showing');
		await expect(onScreen).toHaveCount(1);
		await expect(onScreen).toContainText('已发布（正在展示）');
		await expect(onScreen).toContainText('红黑榜');

		const stories = page.locator('.stories li');
		await expect(stories).toHaveCount(8);
		await expect(stories.filter({ hasText: '展示中' })).toHaveCount(6);
		await expect(stories.filter({ hasText: '已结束' })).toHaveCount(1);
		await expect(stories.filter({ hasText: '未开始' })).toHaveCount(1);
		// Every story picture is served by our own server and decodes as an image.
		const pictures = await stories.locator('img').evaluateAll((images) =>
			Promise.all(
				(images as HTMLImageElement[]).map((image) =>
					image.decode().then(
						() => image.naturalWidth,
						() => 0
					)
				)
			)
		);
		expect(pictures).toHaveLength(8);
		expect(pictures.every((width) => width > 0)).toBe(true);

		await expect(page.getByText('幸福里便民超市')).toBeVisible();
		await expect(page.getByLabel('5 星').first()).toBeVisible();
		// The demo's playlist keeps the calm slide for the night (the lobby's busy hours rotate).
		await expect(page.getByText('22:00–06:00 安静')).toBeVisible();
	} finally {
		await page.close();
	}
});
