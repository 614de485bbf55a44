import { randomUUID } from 'node:crypto';
import { buildDayReport } from '../../../src/lib/domain/day-report';
import type { DayCloseEvent } from '../../../src/lib/protocol/events';
import { API_PATHS } from '../../../src/lib/protocol/api-paths';
import type { PullResponse, StaffSnapshot } from '../../../src/lib/protocol/sync';
import {
	bearer,
	businessDate,
	enrollKioskByApi,
	pullEverything,
	pushEvents,
	type ApiDevice
} from '../fixtures/device-api';
import { expect, test } from '../fixtures/test';

/*
 * A kiosk's closing reaches the office: the day-report list shows who closed which day with what
 * differences, and one report opens as a table.
 */

async function pullStaff(
	request: Parameters<typeof pullEverything>[0],
	device: ApiDevice
): Promise<StaffSnapshot[]> {
	const staff: StaffSnapshot[] = [];
	let cursor = 0;
	for (;;) {
		const response = await request.get(API_PATHS.pull(cursor), { headers: bearer(device.token) });
		const page = (await response.json()) as PullResponse;
		for (const change of page.changes) if (change.entity === 'staff') staff.push(change.data);
		cursor = page.cursor;
		if (!page.hasMore) return staff;
	}
}

test('the office lists a kiosk’s day report and shows it as a table', async ({
	request,
	office,
	mintEnrollCode
}) => {
	const device = await enrollKioskByApi(request, await mintEnrollCode(), '日结测试终端');
	const { items } = await pullEverything(request, device);
	const staff = await pullStaff(request, device);
	const keeper = staff.find((s) => s.role === 'shopkeeper')!;
	const manager = staff.find((s) => s.role === 'manager')!;
	const goods = [...items.values()].filter((i) => i.stockTracked && i.active).slice(0, 3);
	const day = businessDate();
	const lines = goods.map((item, i) => {
		const counted = i === 1 ? item.stock - 7 : item.stock;
		return {
			itemId: item.id,
			name: item.name,
			opening: item.stock,
			received: 0,
			redeemed: 0,
			voided: 0,
			lost: 0,
			expected: item.stock,
			counted,
			difference: counted - item.stock,
			...(i === 1 ? { reason: '货架后面, 破损 "两袋"' } : {})
		};
	});
	const closing: DayCloseEvent = {
		id: randomUUID(),
		deviceId: device.deviceId,
		deviceSeq: device.nextSeq++,
		type: 'dayClose',
		occurredAt: new Date().toISOString(),
		payload: {
			businessDate: day,
			staffId: keeper.id,
			approverStaffId: manager.id,
			lastDeviceSeq: 0,
			counts: lines.map((l) => ({
				itemId: l.itemId,
				expected: l.expected,
				counted: l.counted,
				...(l.reason ? { reason: l.reason } : {})
			})),
			report: buildDayReport({
				businessDate: day,
				deviceId: device.deviceId,
				staffName: keeper.name,
				approverName: manager.name,
				closedAt: new Date().toISOString(),
				redemptions: { count: 6, points: 187 },
				voids: { count: 1, points: 30 },
				lines,
				pendingEvents: 0
			})
		}
	};
	const { body } = await pushEvents(request, device, [closing]);
	expect(body.results[0]).toMatchObject({ status: 'applied' });

	const page = await office.context.newPage();
	try {
		await page.goto('/admin');
		await page.getByRole('navigation').getByRole('link', { name: '日结报表' }).click();
		await expect(page.getByRole('heading', { level: 1, name: '日结报表' })).toBeVisible();
		const row = page.locator('tr', { hasText: '日结测试终端' });
		await expect(row).toContainText(day);
		await expect(row).toContainText('店员老陈');
		await expect(row).toContainText('复核：社区管理员');
		await expect(row).toContainText('187');
		await expect(row).toContainText('1 种物品');

		await row.getByRole('link', { name: '查看' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(`日结报表 · ${day}`);
		const differing = page.locator('tr.differs');
		await expect(differing).toHaveCount(1);
		await expect(differing).toContainText(goods[1]!.name);
		await expect(differing).toContainText('-7');
		await expect(differing).toContainText('货架后面, 破损 "两袋"');
		await expect(page.locator('tbody tr')).toHaveCount(3);

		const missing = await page.goto('/admin/day-reports/999999');
		expect(missing?.status()).toBe(404);
	} finally {
		await page.close();
	}
});
