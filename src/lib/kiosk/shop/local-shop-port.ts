/**
 * Shop mode's port over the kiosk's local database (the modules of `$lib/kiosk/shop`), as
 * `local-counter-port.ts` is for the counter. Everything else in shop mode talks to `ShopPort`.
 */
import type { KioskDb } from '$lib/kiosk/local-db';
import { shopAttention } from '$lib/kiosk/shop/attention';
import { closeDay, getDayReport, listDayReports, openClosing } from '$lib/kiosk/shop/closing';
import { checkStaffPin, findStaffByCredential, staffPinLockedUntil } from '$lib/kiosk/shop/staff';
import { recordStockLoss, recordStockReceipt, stockOnHand } from '$lib/kiosk/shop/stock';
import { listVoidableRedemptions, voidRedemption } from '$lib/kiosk/shop/voids';
import type { DeviceEventType } from '$lib/protocol/events';
import type { ShopPort, ShopWriteOutcome, ShopWriteProblem } from './shop-port';
import { flaggedRedemptionTitle, rejectReasonText } from './shop-texts';

const EVENT_NAMES: Record<DeviceEventType, string> = {
	redemption: '兑换',
	stockReceipt: '入库',
	stockLoss: '报损',
	void: '撤销',
	dayClose: '日结'
};

/** Once a write has committed, its event should leave soon: the sync engine is asked. */
export interface SyncRequester {
	requestSync(): void;
}

function written(
	outcome: { ok: true } | { ok: false; problem: ShopWriteProblem },
	sync: SyncRequester
): ShopWriteOutcome {
	if (!outcome.ok) return { ok: false, problem: outcome.problem };
	setTimeout(() => sync.requestSync(), 0);
	return { ok: true };
}

export function localShopPort(db: KioskDb, sync: SyncRequester): ShopPort {
	return {
		async identifyStaff(text) {
			const found = await findStaffByCredential(db, text);
			if (!found.ok) return found;
			const { id, name, role } = found.staff;
			return { ok: true, staff: { id, name, role } };
		},
		async checkPin(staffId, pin) {
			const check = await checkStaffPin(db, staffId, pin);
			return check.ok ? { ok: true } : check;
		},
		pinLockedUntil: (staffId) => staffPinLockedUntil(db, staffId),
		async attention() {
			const { rejected, flagged } = await shopAttention(db);
			const residents = await db.residents.bulkGet(flagged.map((r) => r.residentId));
			return {
				rejected: rejected.map((row) => ({
					eventId: row.eventId,
					what: EVENT_NAMES[row.event.type] ?? '记录',
					reason: rejectReasonText(row.reason, row.message),
					at: row.at
				})),
				flagged: flagged.map((redemption, index) => ({
					eventId: redemption.eventId,
					occurredAt: redemption.occurredAt,
					totalPoints: redemption.totalPoints,
					title: flaggedRedemptionTitle(redemption.flags),
					flags: redemption.flags ?? [],
					summary: `${residents[index]?.maskedName ?? '居民'} 兑换 ${redemption.lines
						.map((line) => `${line.name} × ${line.quantity}`)
						.join('，')}`
				}))
			};
		},
		async stock() {
			const [levels, items] = await Promise.all([stockOnHand(db), db.items.toArray()]);
			return items
				.filter((item) => item.stockTracked && item.active)
				.sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id)
				.map((item) => ({ item, onHand: levels.get(item.id) ?? 0 }));
		},
		async receiveStock(input) {
			return written(await recordStockReceipt(db, input), sync);
		},
		async recordLoss(input) {
			return written(await recordStockLoss(db, input), sync);
		},
		async voidableRedemptions() {
			const redemptions = await listVoidableRedemptions(db);
			const residents = await db.residents.bulkGet(redemptions.map((r) => r.residentId));
			return redemptions.map((redemption, index) => ({
				eventId: redemption.eventId,
				occurredAt: redemption.occurredAt,
				residentLabel: residents[index]?.maskedName ?? `居民 ${redemption.residentId}`,
				lines: redemption.lines.map(({ name, quantity }) => ({ name, quantity })),
				totalPoints: redemption.totalPoints,
				voided: redemption.voided
			}));
		},
		async voidRedemption(input) {
			return written(await voidRedemption(db, input), sync);
		},
		async openClosing() {
			const view = await openClosing(db);
			if (!view) throw new Error('the kiosk is not enrolled');
			return {
				businessDate: view.businessDate,
				alreadyClosed: view.alreadyClosed,
				lines: view.lines,
				countDifferenceLimit: view.countDifferenceLimit,
				unclosedEarlierDays: view.unclosedEarlierDays
			};
		},
		async closeDay(input) {
			const outcome = await closeDay(db, input);
			if (!outcome.ok) return outcome;
			setTimeout(() => sync.requestSync(), 0);
			return { ok: true, report: outcome.report };
		},
		async listDayReports() {
			return (await listDayReports(db)).map((record) => ({
				businessDate: record.businessDate,
				closedAt: record.report.closedAt,
				staffName: record.report.staffName
			}));
		},
		async getDayReport(businessDate) {
			return (await getDayReport(db, businessDate))?.report ?? null;
		}
	};
}
