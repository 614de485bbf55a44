import {
	DAY_REPORT_NAME_LENGTH,
	type DayReport,
	type DayReportLine
} from '$lib/protocol/day-report';
import type { CountedLine } from './reconciliation';
import { dateTimeText } from './zoned-time';

export type { DayReport, DayReportLine } from '$lib/protocol/day-report';

/*
 * The day report (日结报表): built on the kiosk at the closing, printed, downloaded as CSV, sent
 * in the dayClose event and kept by the server. Plain data; the screens format it.
 */

export interface DayReportInput {
	businessDate: string;
	deviceId: string;
	deviceName?: string;
	staffName: string;
	approverName?: string;
	closedAt: string;
	redemptions: { count: number; points: number };
	voids: { count: number; points: number };
	lines: readonly CountedLine[];
	pendingEvents: number;
}

/** A name as the report keeps it: the office may have typed a very long one. */
function reportName(name: string): string {
	return [...name].length > DAY_REPORT_NAME_LENGTH
		? [...name].slice(0, DAY_REPORT_NAME_LENGTH - 1).join('') + '…'
		: name;
}

export function buildDayReport(input: DayReportInput): DayReport {
	const items: DayReportLine[] = input.lines.map((line) => ({
		itemId: line.itemId,
		name: reportName(line.name),
		opening: line.opening,
		received: line.received,
		redeemed: line.redeemed,
		voided: line.voided,
		lost: line.lost,
		expected: line.expected,
		counted: line.counted,
		difference: line.difference,
		...(line.reason ? { reason: line.reason } : {})
	}));
	return {
		businessDate: input.businessDate,
		deviceId: input.deviceId,
		...(input.deviceName ? { deviceName: reportName(input.deviceName) } : {}),
		staffName: reportName(input.staffName),
		...(input.approverName ? { approverName: reportName(input.approverName) } : {}),
		closedAt: input.closedAt,
		redemptions: { ...input.redemptions },
		voids: { ...input.voids },
		items,
		pendingEvents: input.pendingEvents
	};
}

/** Lines whose count differed from the expected quantity. */
export function reportDifferences(report: DayReport): DayReportLine[] {
	return report.items.filter((line) => line.difference !== 0);
}

export const DAY_REPORT_CSV_HEADERS = [
	'物品编号',
	'物品',
	'期初',
	'入库',
	'兑换',
	'撤销',
	'报损',
	'应有',
	'实盘',
	'差异',
	'差异原因'
] as const;

/**
 * One CSV field: quoted when it holds a comma, quote, newline or edge spaces (quotes doubled,
 * RFC 4180); text that Excel would run as a formula (= + - @ at the start) gets a leading
 * apostrophe. Numbers are written as they are.
 */
export function csvField(value: string | number): string {
	if (typeof value === 'number') return String(value);
	let text = value;
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The report as CSV for Excel: UTF-8 with a byte order mark (Excel needs it to read Chinese),
 * CRLF line ends, a few summary rows, an empty row, then one row per item under Chinese headers.
 */
export function dayReportCsv(report: DayReport, timeZone: string): string {
	const rows: Array<Array<string | number>> = [
		['日结报表', report.businessDate],
		['设备', report.deviceName ?? report.deviceId],
		['店员', report.staffName],
		...(report.approverName ? [['复核人', report.approverName]] : []),
		['日结时间', dateTimeText(Date.parse(report.closedAt), timeZone)],
		['兑换笔数', report.redemptions.count],
		['兑换积分', report.redemptions.points],
		['撤销笔数', report.voids.count],
		['撤销积分', report.voids.points],
		['待上传事件', report.pendingEvents],
		[],
		[...DAY_REPORT_CSV_HEADERS],
		...report.items.map((line) => [
			line.itemId,
			line.name,
			line.opening,
			line.received,
			line.redeemed,
			line.voided,
			line.lost,
			line.expected,
			line.counted,
			line.difference,
			line.reason ?? ''
		])
	];
	return '\uFEFF' + rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
