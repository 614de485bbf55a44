import { residentCsvTemplate } from '$lib/domain/resident-csv';
import { requireOfficePage } from '$lib/server/office/guard';
import { csvDownload } from '$lib/server/office/csv-download';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ cookies }) => {
	await requireOfficePage(cookies, 'residents');
	return csvDownload(residentCsvTemplate(), '居民导入模板.csv');
};
