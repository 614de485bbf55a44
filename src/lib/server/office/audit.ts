import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { AuditLogRow } from '../db/schema-office';

/*
 * The office's audit list: every change made in the office is one row with who, when and what.
 * Write it in the same transaction as the change, so the list never names a change that did not
 * happen (or misses one that did).
 */

export interface AuditEntry {
	communityId: number;
	/** The office account that acted; null for the system (the demo seed). */
	accountId: number | null;
	/** A dotted name, '<group>.<verb>', e.g. 'resident.create'; the groups are AUDIT_ACTION_GROUPS. */
	action: string;
	/** What it was done to, e.g. 'resident:12'. */
	subject?: string | null;
	/** A short Chinese sentence for the list, e.g. '新增居民 王秀英（3栋2单元501）'. */
	summary: string;
	/** What changed, kept as JSON for a closer look. */
	details?: unknown;
}

/** The action groups the audit list filters by, with their names on screen. */
export const AUDIT_ACTION_GROUPS: Record<string, string> = {
	resident: '居民',
	household: '住户',
	import: '导入',
	card: '积分卡',
	rule: '积分清单',
	points: '积分',
	item: '商品',
	account: '账号',
	device: '设备',
	community: '社区设置',
	flag: '待核查'
};

export async function recordAudit(
	db: Kysely<Database>,
	entry: AuditEntry,
	now: Date = new Date()
): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({
			community_id: entry.communityId,
			account_id: entry.accountId,
			action: entry.action,
			subject: entry.subject ?? null,
			summary: entry.summary,
			details: entry.details === undefined ? null : JSON.stringify(entry.details),
			at: now.toISOString()
		})
		.execute();
}

export interface AuditFilter {
	/** An AUDIT_ACTION_GROUPS key: only actions of that group. */
	group?: string;
	accountId?: number;
	subject?: string;
	/** Rows with id below this (the next page). */
	beforeId?: number;
	limit?: number;
}

export type AuditListRow = AuditLogRow & { accountName: string | null };

/** Newest first, one page. */
export async function listAudit(
	db: Kysely<Database>,
	communityId: number,
	filter: AuditFilter = {}
): Promise<AuditListRow[]> {
	let query = db
		.selectFrom('audit_log')
		.leftJoin('office_accounts', 'office_accounts.id', 'audit_log.account_id')
		.selectAll('audit_log')
		.select('office_accounts.display_name as accountName')
		.where('audit_log.community_id', '=', communityId);
	if (filter.group) query = query.where('audit_log.action', 'like', `${filter.group}.%`);
	if (filter.accountId !== undefined)
		query = query.where('audit_log.account_id', '=', filter.accountId);
	if (filter.subject) query = query.where('audit_log.subject', '=', filter.subject);
	if (filter.beforeId !== undefined) query = query.where('audit_log.id', '<', filter.beforeId);
	return query
		.orderBy('audit_log.id', 'desc')
		.limit(filter.limit ?? 50)
		.execute();
}
