import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDayReport } from '$lib/domain/day-report';
import { seedDemo, type DemoSeedSummary } from '../seed/demo';
import { applyPushBatch } from '../sync/push';
import { enrollTestDevice, pushRequest, shopEvent } from '../testing/fixtures';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { getDayReport, listDayReports } from './day-reports';

let temp: TempDatabase;
let demo: DemoSeedSummary;

beforeAll(async () => {
	temp = await openTempDatabase();
	demo = await seedDemo(temp.db);
});
afterAll(() => temp.dispose());

describe('day reports for the office', () => {
	it('lists received closings newest first with who closed them, and shows one in full', async () => {
		const kiosk = await enrollTestDevice(temp.db, demo.communityId);
		const [shopkeeper, manager] = await Promise.all(
			(['shopkeeper', 'manager'] as const).map(async (role) => {
				const row = await temp.db
					.selectFrom('staff_members')
					.select('id')
					.where('community_id', '=', demo.communityId)
					.where('role', '=', role)
					.executeTakeFirstOrThrow();
				return row.id;
			})
		);
		const item = await temp.db
			.selectFrom('items')
			.select(['id', 'name'])
			.where('community_id', '=', demo.communityId)
			.where('stock_tracked', '=', 1)
			.executeTakeFirstOrThrow();
		const closing = (businessDate: string, counted: number, approverStaffId?: number) =>
			shopEvent(kiosk.device, 'dayClose', {
				businessDate,
				staffId: shopkeeper!,
				...(approverStaffId ? { approverStaffId } : {}),
				lastDeviceSeq: 0,
				counts: [
					{
						itemId: item.id,
						expected: 10,
						counted,
						...(counted !== 10 ? { reason: '少了' } : {})
					}
				],
				report: buildDayReport({
					businessDate,
					deviceId: kiosk.device.id,
					staffName: '店员老陈',
					...(approverStaffId ? { approverName: '社区管理员' } : {}),
					closedAt: `${businessDate}T10:00:00.000Z`,
					redemptions: { count: 3, points: 90 },
					voids: { count: 1, points: 30 },
					lines: [
						{
							itemId: item.id,
							name: item.name,
							opening: 12,
							received: 0,
							redeemed: 3,
							voided: 1,
							lost: 0,
							expected: 10,
							counted,
							difference: counted - 10,
							...(counted !== 10 ? { reason: '少了' } : {})
						}
					],
					pendingEvents: 2
				})
			});
		const pushed = await applyPushBatch(
			temp.db,
			kiosk.device,
			pushRequest([closing('2025-06-01', 10), closing('2025-06-02', 2, manager)])
		);
		expect(pushed.results.map((r) => r.status)).toEqual(['applied', 'applied']);

		const list = await listDayReports(temp.db, demo.communityId);
		expect(list).toMatchObject([
			{
				businessDate: '2025-06-02',
				deviceName: kiosk.device.name,
				staffName: '店员老陈',
				approverName: '社区管理员',
				redemptionCount: 3,
				redemptionPoints: 90,
				voidCount: 1,
				differenceCount: 1
			},
			{ businessDate: '2025-06-01', approverName: null, differenceCount: 0 }
		]);
		const one = await getDayReport(temp.db, demo.communityId, list[0]!.id);
		expect(one?.report.items).toEqual([expect.objectContaining({ counted: 2, difference: -8 })]);
		// Another community's office sees none of it.
		expect(await listDayReports(temp.db, demo.foreignCommunityId)).toEqual([]);
		expect(await getDayReport(temp.db, demo.foreignCommunityId, list[0]!.id)).toBeNull();
	});
});
