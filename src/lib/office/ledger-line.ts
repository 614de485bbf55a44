import type { LedgerReason } from '$lib/server/db/schema';

/** One ledger entry as a resident's page shows it (see server/office/resident-detail.ts). */
export interface LedgerLine {
	id: number;
	points: number;
	reason: LedgerReason;
	/** The rule's name as it was, for earn and penalty entries. */
	ruleName: string | null;
	note: string | null;
	/** For a redemption pushed by a kiosk: what was handed out, e.g. ['大米 ×2']. */
	items: string[];
	/** Who recorded it: an office account's name, a kiosk's name, or null for the system. */
	actor: string | null;
	occurredAt: string;
	reversesEntryId: number | null;
	/** The entry that reversed this one, if any. */
	reversedByEntryId: number | null;
}

export const LEDGER_REASON_NAMES: Record<LedgerReason, string> = {
	earn: '加分',
	penalty: '扣分',
	redemption: '兑换',
	reversal: '更正',
	opening: '期初结转'
};

/** What the entry was for, in a line. */
export function ledgerLineText(line: LedgerLine): string {
	switch (line.reason) {
		case 'earn':
		case 'penalty':
			return [line.ruleName ?? '（规则已删除）', line.note].filter(Boolean).join('：');
		case 'redemption': {
			const items = line.items.join('、');
			const offline = line.note === 'offline' ? '（离线兑换）' : '';
			const note = line.note && line.note !== 'offline' ? line.note : '';
			return [items, note].filter(Boolean).join('；') + offline || '兑换';
		}
		case 'reversal':
			return `更正第 ${line.reversesEntryId ?? '?'} 条记录${line.note ? `：${line.note}` : ''}`;
		default:
			return line.note ?? '';
	}
}

/** Earn and penalty entries can be corrected, once. */
export function canCorrect(line: LedgerLine): boolean {
	return (line.reason === 'earn' || line.reason === 'penalty') && line.reversedByEntryId === null;
}
