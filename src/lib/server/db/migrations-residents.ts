import type { AnyDb } from './migrations';

/*
 * Resident search at 100,000 residents (issue 11's aim: p95 ≤ 50 ms). The list filters on
 * name, phone, household and living-here; this index holds all of them, so a search scans the
 * index alone (never the table) and counts living residents without reading a row.
 */
export async function createResidentsSearchIndex(db: AnyDb): Promise<void> {
	await db.schema
		.createIndex('residents_search')
		.on('residents')
		.columns(['community_id', 'active', 'name', 'phone', 'household_id'])
		.execute();
}
