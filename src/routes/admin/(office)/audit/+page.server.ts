import * as v from 'valibot';
import { getDatabase } from '$lib/server/db/connection';
import { listOfficeAccounts } from '$lib/server/office/account-management';
import { AUDIT_ACTION_GROUPS, listAudit } from '$lib/server/office/audit';
import { requireOfficePage } from '$lib/server/office/guard';
import type { PageServerLoad } from './$types';

const AUDIT_PAGE_SIZE = 50;

const Id = v.pipe(v.string(), v.regex(/^\d{1,12}$/), v.transform(Number));

export const load: PageServerLoad = async ({ cookies, url }) => {
	const account = await requireOfficePage(cookies, 'audit');
	const db = await getDatabase();
	const groupParam = url.searchParams.get('group') ?? '';
	const group = Object.hasOwn(AUDIT_ACTION_GROUPS, groupParam) ? groupParam : '';
	const accountParam = v.safeParse(Id, url.searchParams.get('account'));
	const beforeParam = v.safeParse(Id, url.searchParams.get('before'));
	const filter = {
		group: group || undefined,
		accountId: accountParam.success ? accountParam.output : undefined,
		beforeId: beforeParam.success ? beforeParam.output : undefined
	};
	// One more than a page tells whether there is an older page.
	const rows = await listAudit(db, account.community_id, { ...filter, limit: AUDIT_PAGE_SIZE + 1 });
	const page = rows.slice(0, AUDIT_PAGE_SIZE);
	return {
		groups: AUDIT_ACTION_GROUPS,
		accounts: (await listOfficeAccounts(db, account.community_id)).map(({ id, displayName }) => ({
			id,
			displayName
		})),
		filter: { group, accountId: filter.accountId ?? null, beforeId: filter.beforeId ?? null },
		rows: page.map((row) => ({
			id: row.id,
			at: row.at,
			who: row.accountName ?? '系统',
			group: AUDIT_ACTION_GROUPS[row.action.split('.')[0] ?? ''] ?? row.action,
			summary: row.summary
		})),
		olderBeforeId: rows.length > AUDIT_PAGE_SIZE ? (page.at(-1)?.id ?? null) : null
	};
};
