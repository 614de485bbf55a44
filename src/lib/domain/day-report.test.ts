import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { DayReportSchema } from '$lib/protocol/day-report';
import { buildDayReport, csvField, dayReportCsv, reportDifferences } from './day-report';

function report(change: { name?: string; reason?: string; approverName?: string } = {}) {
	return buildDayReport({
		businessDate: '2025-06-01',
		deviceId: 'kiosk-1',
		deviceName: '一楼柜台',
		staffName: '店员老陈',
		...(change.approverName ? { approverName: change.approverName } : {}),
		closedAt: '2025-06-01T10:05:00.000Z',
		redemptions: { count: 12, points: 340 },
		voids: { count: 1, points: 30 },
		lines: [
			{
				itemId: 10,
				name: change.name ?? '大米 5kg',
				opening: 8,
				received: 4,
				redeemed: 3,
				voided: 1,
				lost: 0,
				expected: 10,
				counted: 9,
				difference: -1,
				...(change.reason !== undefined ? { reason: change.reason } : { reason: '破损' })
			},
			{
				itemId: 11,
				name: '香皂',
				opening: 20,
				received: 0,
				redeemed: 2,
				voided: 0,
				lost: 0,
				expected: 18,
				counted: 18,
				difference: 0
			}
		],
		pendingEvents: 3
	});
}

describe('the day report', () => {
	it('is valid for the protocol and lists its differences', () => {
		const built = report();
		expect(v.safeParse(DayReportSchema, built).success).toBe(true);
		expect(reportDifferences(built).map((l) => l.itemId)).toEqual([10]);
	});

	it('cuts a very long item name so the closing stays valid', () => {
		const built = report({ name: '特'.repeat(300) });
		expect([...built.items[0]!.name]).toHaveLength(100);
		expect(built.items[0]!.name.endsWith('…')).toBe(true);
		expect(v.safeParse(DayReportSchema, built).success).toBe(true);
	});
});

describe('the day report as CSV', () => {
	it('starts with a BOM, uses Chinese headers and CRLF, and times in the community zone', () => {
		const csv = dayReportCsv(report({ approverName: '社区管理员' }), 'Asia/Shanghai');
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		const rows = csv.slice(1).split('\r\n');
		expect(rows.slice(0, 11)).toEqual([
			'日结报表,2025-06-01',
			'设备,一楼柜台',
			'店员,店员老陈',
			'复核人,社区管理员',
			'日结时间,2025-06-01 18:05',
			'兑换笔数,12',
			'兑换积分,340',
			'撤销笔数,1',
			'撤销积分,30',
			'待上传事件,3',
			''
		]);
		expect(rows[11]).toBe('物品编号,物品,期初,入库,兑换,撤销,报损,应有,实盘,差异,差异原因');
		expect(rows[12]).toBe('10,大米 5kg,8,4,3,1,0,10,9,-1,破损');
		expect(rows[13]).toBe('11,香皂,20,0,2,0,0,18,18,0,');
		expect(rows[14]).toBe('');
	});

	it('writes the closing time on the community’s clock, whatever zone that is', () => {
		// Closed at 10:05 UTC: 06:05 the same morning in New York.
		const csv = dayReportCsv(report({}), 'America/New_York');
		expect(csv).toContain('\r\n日结时间,2025-06-01 06:05\r\n');
	});

	it('quotes names and reasons with commas, quotes and newlines', () => {
		const csv = dayReportCsv(
			report({ name: '米,面 "特价"', reason: '搬运时\n摔坏, 两袋' }),
			'Asia/Shanghai'
		);
		expect(csv).toContain('\r\n10,"米,面 ""特价""",8,4,3,1,0,10,9,-1,"搬运时\n摔坏, 两袋"\r\n');
	});

	it('keeps Excel from running text as a formula', () => {
		expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
		expect(csvField('-少了两袋')).toBe("'-少了两袋");
		expect(csvField(-2)).toBe('-2');
		expect(csvField(' 前后空格 ')).toBe('" 前后空格 "');
	});
});
