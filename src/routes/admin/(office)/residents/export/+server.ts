import { businessDate } from '$lib/domain/business-date';
import { getDatabase } from '$lib/server/db/connection';
import { requireAdmin } from '$lib/server/office/guard';
import { exportResidentsCsv } from '$lib/server/office/resident-import';
import { csvDownload } from '$lib/server/office/csv-download';
import type { RequestHandler } from './$types';

/** Phones and names of everyone: an admin's download only. */
export const GET: RequestHandler = async ({ cookies }) => {
	const account = await requireAdmin(cookies);
	// The file is named after the community's date, not the server's (UTC before 08:00 in China).
	const day = businessDate(Date.now(), account.communityTimeZone);
	return csvDownload(
		await exportResidentsCsv(await getDatabase(), account.community_id),
		`居民-${day}.csv`
	);
};
