import Database from 'better-sqlite3';
import { expect, test } from '../fixtures/test';
import { logInAs, ResidentsPages } from './residents-pages';

/*
 * Residents in the office: an admin imports a small roster (dry run first, then confirmed), finds
 * a resident, opens their page and moves one out; HTML typed into a name shows as text; a
 * 网格员 may read but is refused the import and an edit, even when posting directly.
 * Everyone here lives in building 88栋, which the demo does not have.
 */

const ROSTER = [
	'楼栋,单元,房号,住户标签,姓名,手机号',
	'88号楼,1,101,,钱多多,138 1234 8888',
	'88栋,1单元,101,,孙<b>小</b>美,',
	`88,,102,,"=cmd|' /C calc'!A0",`,
	'88栋,1,101,,钱多多,',
	'东区八栋,,1,,周某,',
	',,,88栋老年公寓,<script>x</script>,'
].join('\r\n');

function residentRow(databasePath: string, name: string) {
	const db = new Database(databasePath, { readonly: true, fileMustExist: true });
	try {
		return db
			.prepare(
				'SELECT id, name, phone, active, moved_out_at AS movedOutAt FROM residents WHERE name = ?'
			)
			.get(name) as
			| {
					id: number;
					name: string;
					phone: string | null;
					active: number;
					movedOutAt: string | null;
			  }
			| undefined;
	} finally {
		db.close();
	}
}

test.describe.configure({ mode: 'serial' });

test('an admin imports a roster after a dry run, finds a resident and moves one out', async ({
	office,
	server
}) => {
	const page = await office.context.newPage();
	await page.setViewportSize({ width: 1440, height: 900 });
	const residents = new ResidentsPages(page);
	try {
		await residents.importCsv('88栋.csv', ROSTER);
		await expect(residents.planRow(2)).toHaveAttribute('data-plan-kind', 'add');
		await expect(residents.planRow(2)).toContainText('新增居民（新住户 88栋1单元101）');
		await expect(residents.planRow(3)).toHaveAttribute('data-plan-kind', 'add');
		await expect(residents.planRow(3)).toContainText('与上面同属新住户 88栋1单元101');
		await expect(residents.planRow(3)).toContainText('孙<b>小</b>美');
		await expect(residents.planRow(4)).toContainText('像表格公式');
		await expect(residents.planRow(5)).toContainText('与第 2 行重复');
		await expect(residents.planRow(6)).toContainText('楼栋格式不认识');
		await expect(residents.planRow(7)).toHaveAttribute('data-plan-kind', 'add');
		// Nothing is written before the office confirms.
		expect(residentRow(server.databasePath, '钱多多')).toBeUndefined();
		await residents.screenshot('residents-dry-run-1440');
		await page.setViewportSize({ width: 375, height: 667 });
		await residents.screenshot('residents-dry-run-375');
		await page.setViewportSize({ width: 1440, height: 900 });

		await residents.confirmImport();
		await expect(page.getByRole('status')).toContainText('新增居民 3 人（新住户 2 户）');
		expect(residentRow(server.databasePath, '钱多多')).toMatchObject({ phone: '13812348888' });

		// Importing the same file again changes nothing.
		await residents.importCsv('88栋.csv', ROSTER);
		await expect(page.getByText('这个表格没有需要导入的变化。')).toBeVisible();

		await residents.search('88栋');
		await expect(page.locator('.residents li')).toHaveCount(3);
		await expect(residents.resultRow('孙<b>小</b>美')).toBeVisible();
		await residents.screenshot('residents-list-1440');
		await page.setViewportSize({ width: 375, height: 667 });
		await residents.screenshot('residents-list-375');
		await page.setViewportSize({ width: 1440, height: 900 });

		await residents.search('8888');
		await residents.resultRow('钱多多').getByRole('link').click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('钱多多');
		await expect(page.getByText('88栋1单元101')).toBeVisible();
		await expect(page.getByRole('link', { name: '孙<b>小</b>美' })).toBeVisible();
		await expect(page.getByRole('link', { name: '发卡' })).toHaveAttribute(
			'href',
			/\/admin\/cards\?resident=\d+/
		);
		await residents.screenshot('resident-page-1440');
		await page.setViewportSize({ width: 375, height: 667 });
		await residents.screenshot('resident-page-375');
		await page.setViewportSize({ width: 1440, height: 900 });

		// A demo resident with a history (read only: other specs use them).
		await page.goto('/admin/residents');
		await page.locator('.residents a').first().click();
		await expect(page.getByRole('heading', { name: '积分记录' })).toBeVisible();
		await expect(page.locator('[data-ledger-entry-id]').first()).toBeVisible();
		await residents.screenshot('resident-history-1440');
		await page.setViewportSize({ width: 375, height: 667 });
		await residents.screenshot('resident-history-375');
		await page.setViewportSize({ width: 1440, height: 900 });

		await residents.search('88栋');
		await residents.resultRow('孙<b>小</b>美').getByRole('link').click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('孙<b>小</b>美');
		await residents.moveOut();
		await expect(page.getByRole('heading', { level: 1 })).toContainText('已迁出');
		expect(residentRow(server.databasePath, '孙<b>小</b>美')).toMatchObject({ active: 0 });

		await residents.search('88栋');
		await expect(page.locator('.residents li')).toHaveCount(2);
		await page.getByLabel('包括已迁出的居民').check();
		await page.getByRole('button', { name: '查找' }).click();
		await expect(residents.resultRow('孙<b>小</b>美')).toContainText('已迁出');
	} finally {
		await page.close();
	}
});

test('an admin adds a resident with the form, is told what is wrong, and edits them', async ({
	office,
	server
}) => {
	const page = await office.context.newPage();
	await page.setViewportSize({ width: 375, height: 667 });
	const residents = new ResidentsPages(page);
	try {
		await page.goto('/admin/residents');
		await page.getByRole('link', { name: '新增居民' }).click();
		await page.getByLabel('姓名', { exact: true }).fill('吴表单');
		await page.getByLabel('手机号（可不填）').fill('12345');
		await page.getByLabel('楼栋', { exact: true }).fill('88号楼');
		await page.getByLabel('单元（可不填）').fill('2');
		await page.getByLabel('房号', { exact: true }).fill('201室');
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByRole('alert')).toHaveText(
			'手机号格式不对（应为 11 位手机号，或带区号的座机号）'
		);
		await expect(page.getByLabel('姓名', { exact: true })).toHaveValue('吴表单');
		await residents.screenshot('resident-new-375');
		expect(residentRow(server.databasePath, '吴表单')).toBeUndefined();

		await page.getByLabel('手机号（可不填）').fill('0571-8765 4321');
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('吴表单');
		await expect(page.getByText('88栋2单元201')).toBeVisible();
		await expect(page.getByText('0571-87654321')).toBeVisible();

		await page.getByRole('link', { name: '修改资料' }).click();
		await page.getByLabel('姓名', { exact: true }).fill('吴改名');
		await page.getByRole('button', { name: '保存', exact: true }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('吴改名');
		await expect(page.getByRole('status')).toHaveText('已保存。');
	} finally {
		await page.close();
	}
});

test('a file too large is refused in Chinese, in the page and when posted directly', async ({
	office,
	server
}) => {
	const page = await office.context.newPage();
	try {
		const big = Buffer.alloc(20 * 1024 * 1024, 0x41);
		await page.goto('/admin/residents/import');
		await page.locator('input[type="file"]').setInputFiles({
			name: 'big.csv',
			mimeType: 'text/csv',
			buffer: big
		});
		await page.getByRole('button', { name: '预览' }).click();
		await expect(page.getByRole('alert')).toContainText('文件太大（20.0 MB），最大 1.5 MB');

		// Without the page's script: the server cuts the body at its limit and says the same.
		const posted = await page.request.post('/admin/residents/import?/preview', {
			headers: { origin: server.baseURL, accept: 'text/html' },
			multipart: { file: { name: 'big.csv', mimeType: 'text/csv', buffer: big } }
		});
		expect(posted.status()).toBe(413);
		expect(await posted.text()).toContain('文件太大');
	} finally {
		await page.close();
	}
});

test('a 网格员 may read residents but is refused the import and an edit', async ({
	browser,
	server
}) => {
	const context = await logInAs(browser, server.baseURL, 'grid');
	const page = await context.newPage();
	try {
		const before = residentRow(server.databasePath, '钱多多')!;
		await page.goto(`/admin/residents/${before.id}`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('钱多多');
		await expect(page.getByRole('link', { name: '修改资料' })).toHaveCount(0);

		const importPage = await page.goto('/admin/residents/import');
		expect(importPage?.status()).toBe(403);
		await expect(page.getByRole('heading', { name: '没有权限' })).toBeVisible();

		// Posting straight to the actions, as a page of the office would.
		const origin = { origin: server.baseURL };
		const imported = await page.request.post('/admin/residents/import?/preview', {
			headers: origin,
			multipart: {
				file: {
					name: 'x.csv',
					mimeType: 'text/csv',
					buffer: Buffer.from('楼栋,单元,房号,住户标签,姓名,手机号\r\n88,,109,,网格员导入,\r\n')
				}
			}
		});
		expect(imported.status()).toBe(403);
		const edited = await page.request.post(`/admin/residents/${before.id}/edit?/resident`, {
			headers: origin,
			form: { name: '被改了', building: '88', room: '101', unit: '1', phone: '' }
		});
		expect(edited.status()).toBe(403);
		const movedOut = await page.request.post(`/admin/residents/${before.id}?/moveOut`, {
			headers: origin,
			form: {}
		});
		expect(movedOut.status()).toBe(403);

		expect(residentRow(server.databasePath, '钱多多')).toEqual(before);
		expect(residentRow(server.databasePath, '网格员导入')).toBeUndefined();
	} finally {
		await context.close();
	}
});
