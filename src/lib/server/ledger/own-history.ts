import type { Kysely } from 'kysely';
import { businessDate } from '$lib/domain/business-date';
import {
	RESIDENT_HISTORY_ENTRIES,
	type HistoryEntry,
	type ResidentHistoryResponse
} from '$lib/protocol/resident-history';
import { checkResidentCard } from '../cards/resident-card-check';
import type { Database, LedgerReason } from '../db/schema';
import { redemptionItems } from '../office/resident-detail';
import { residentBalance } from './balances';

/*
 * 我的积分记录 on the kiosk: the last entries of the resident whose card was scanned, and of no
 * one else. The card's text is the only thing that names the resident (checked exactly as a
 * pushed redemption's card is); a revoked card or a moved-out resident reads nothing, since
 * nothing was handed over that would need it.
 */

export type OwnHistoryOutcome =
	{ ok: true; history: ResidentHistoryResponse } | { ok: false; message: string };

const REFUSALS = {
	forged: '这张积分卡的签名不对，无法查看积分记录',
	staff_card: '这是店员卡，请扫描居民的积分卡',
	unknown_card: '服务器上没有这张积分卡，请到社区办公室查询',
	revoked: '这张积分卡已经挂失停用，请使用新卡',
	moved_out: '这位居民已迁出，不能在柜台查看积分记录'
} as const;

export async function ownHistory(
	db: Kysely<Database>,
	communityId: number,
	credential: string
): Promise<OwnHistoryOutcome> {
	const check = await checkResidentCard(db, communityId, credential);
	if (!check.ok) return { ok: false, message: REFUSALS[check.problem] };
	if (check.card.revoked) return { ok: false, message: REFUSALS.revoked };
	if (check.card.movedOut) return { ok: false, message: REFUSALS.moved_out };
	const residentId = check.card.residentId;

	const [community, entries] = await Promise.all([
		db
			.selectFrom('communities')
			.select('time_zone')
			.where('id', '=', communityId)
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('ledger_entries')
			.leftJoin('point_rules', 'point_rules.id', 'ledger_entries.rule_id')
			.leftJoin('ledger_entries as reversed', 'reversed.id', 'ledger_entries.reverses_entry_id')
			.select([
				'ledger_entries.id',
				'ledger_entries.points',
				'ledger_entries.reason',
				'ledger_entries.rule_name',
				'point_rules.name as currentRuleName',
				'ledger_entries.note',
				'ledger_entries.event_id',
				'ledger_entries.occurred_at',
				'reversed.reason as reversedReason'
			])
			.where('ledger_entries.community_id', '=', communityId)
			.where('ledger_entries.resident_id', '=', residentId)
			.orderBy('ledger_entries.occurred_at', 'desc')
			.orderBy('ledger_entries.id', 'desc')
			.limit(RESIDENT_HISTORY_ENTRIES)
			.execute()
	]);
	const items = await redemptionItems(
		db,
		communityId,
		entries.flatMap((e) => (e.reason === 'redemption' && e.event_id ? [e.event_id] : []))
	);
	return {
		ok: true,
		history: {
			balance: await residentBalance(db, residentId),
			entries: entries.map((entry): HistoryEntry => ({
				id: entry.id,
				points: entry.points,
				date: businessDate(new Date(entry.occurred_at), community.time_zone),
				...describe(entry, (entry.event_id && items.get(entry.event_id)) || [])
			}))
		}
	};
}

/** What a resident reads about one entry: never a staff member's or another resident's name. */
function describe(
	entry: {
		reason: LedgerReason;
		rule_name: string | null | undefined;
		currentRuleName: string | null;
		note: string | null;
		reversedReason: LedgerReason | null;
	},
	items: string[]
): Pick<HistoryEntry, 'kind' | 'title' | 'details'> {
	const ruleName = entry.rule_name ?? entry.currentRuleName ?? null;
	switch (entry.reason) {
		case 'earn':
			return { kind: 'earned', title: ruleName ?? '获得积分', details: [] };
		case 'penalty':
			return { kind: 'penalty', title: ruleName ?? '扣除积分', details: [] };
		case 'redemption':
			return { kind: 'spent', title: '兑换', details: items };
		case 'opening':
			return { kind: 'opening', title: '原有积分', details: [] };
		case 'reversal':
			return {
				kind: 'correction',
				title: entry.reversedReason === 'redemption' ? '兑换撤销' : '积分更正',
				details: entry.note ? [entry.note] : []
			};
	}
}
