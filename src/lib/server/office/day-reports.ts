import type { Kysely } from 'kysely';
import * as v from 'valibot';
import { DayReportSchema, type DayReport } from '$lib/protocol/day-report';
import type { Database } from '../db/schema';

/*
 * The day reports kiosks sent with their closings, for the office: a list of every closing of the
 * community and one report in full. Reading only: a report is the kiosk's record of its day.
 */

export interface DayReportSummary {
	id: number;
	businessDate: string;
	deviceName: string;
	staffName: string;
	approverName: string | null;
	redemptionCount: number;
	redemptionPoints: number;
	voidCount: number;
	voidPoints: number;
	differenceCount: number;
	/** Device time of the closing. */
	closedAt: string;
	/** When the server received it (a closing made offline arrives later). */
	recordedAt: string;
}

function summaryQuery(db: Kysely<Database>, communityId: number) {
	return db
		.selectFrom('day_reports')
		.innerJoin('devices', 'devices.id', 'day_reports.device_id')
		.innerJoin('office_accounts as staff', 'staff.id', 'day_reports.staff_id')
		.leftJoin('office_accounts as approver', 'approver.id', 'day_reports.approver_staff_id')
		.select([
			'day_reports.id',
			'day_reports.business_date as businessDate',
			'devices.name as deviceName',
			'staff.display_name as staffName',
			'approver.display_name as approverName',
			'day_reports.redemption_count as redemptionCount',
			'day_reports.redemption_points as redemptionPoints',
			'day_reports.void_count as voidCount',
			'day_reports.void_points as voidPoints',
			'day_reports.difference_count as differenceCount',
			'day_reports.closed_at as closedAt',
			'day_reports.recorded_at as recordedAt'
		])
		.where('day_reports.community_id', '=', communityId);
}

/** The community's day reports, newest business day first. */
export function listDayReports(
	db: Kysely<Database>,
	communityId: number,
	limit = 200
): Promise<DayReportSummary[]> {
	return summaryQuery(db, communityId)
		.orderBy('day_reports.business_date', 'desc')
		.orderBy('devices.name')
		.limit(limit)
		.execute();
}

/** One report of the community with its lines; null if there is none with that id here. */
export async function getDayReport(
	db: Kysely<Database>,
	communityId: number,
	id: number
): Promise<{ summary: DayReportSummary; report: DayReport } | null> {
	const row = await summaryQuery(db, communityId)
		.select('day_reports.report')
		.where('day_reports.id', '=', id)
		.executeTakeFirst();
	if (!row) return null;
	const { report: text, ...summary } = row;
	// Stored as the kiosk sent it, after the push schema checked it.
	const report = v.parse(DayReportSchema, JSON.parse(text));
	return { summary, report };
}
