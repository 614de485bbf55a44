/**
 * The counter's port over the kiosk's local database: card lookup, catalogue, redemption and
 * enrollment as the `CounterSession` needs them (counter-port.ts), in Chinese-ready problems.
 */
import { ApiError, type ApiClient } from '$lib/terminal/api-client';
import { enrollKiosk } from './kiosk-enrollment';
import { benchMark } from '$lib/terminal/bench-marks';
import { requestPersistentStorage } from '$lib/terminal/persistence';
import { businessDate } from '$lib/domain/business-date';
import { offlineSpendLeft } from '$lib/domain/offline-limits';
import { listCatalogue, spentOfflineToday } from './balances';
import { lookupCard } from './card-lookup';
import { getMeta, type KioskDb } from './local-db';
import { recordRedemption, type RedemptionProblem } from './redemption';
import type { SyncEngine } from './sync-client';
import type { CounterPort, CounterResident, RedeemOutcome } from './counter-port';
import type { HistoryLookup } from './own-history.svelte';
import type { CounterProblem } from './counter-problems';

const REDEMPTION_PROBLEMS: Record<RedemptionProblem, CounterProblem> = {
	insufficient_points: 'not_enough_points',
	out_of_stock: 'out_of_stock',
	offline_daily_limit: 'offline_daily_limit',
	pull_too_old: 'offline_too_long',
	not_enrolled: 'not_enrolled',
	unknown_resident: 'unknown_resident',
	moved_out: 'moved_out',
	unknown_item: 'redeem_failed',
	inactive_item: 'redeem_failed',
	invalid_cart: 'redeem_failed'
};

export function localCounterPort(db: KioskDb, api: ApiClient, engine: SyncEngine): CounterPort {
	return {
		async lookupCard(text) {
			const found = await lookupCard(db, text);
			if (!found.ok && found.problem === 'unknown_resident' && !(await firstPullDone(db))) {
				return { ok: false, problem: 'community_loading' };
			}
			if (!found.ok) return { ok: false, problem: found.problem };
			const { resident, cardSerial, credential, available } = found;
			const counterResident: CounterResident = {
				id: resident.id,
				maskedName: resident.maskedName,
				household: resident.household,
				building: resident.building,
				cardSerial,
				credential,
				balance: available,
				...(engine.isOffline()
					? await offlineAllowance(db, resident.id)
					: { offlineSpendLeft: null, offlineDailyLimit: null })
			};
			return { ok: true, resident: counterResident };
		},
		listItems: () => listCatalogue(db),
		async communityName() {
			return (await getMeta(db, 'community'))?.name ?? null;
		},
		async earnRules() {
			return (await getMeta(db, 'community'))?.earnRules ?? [];
		},
		async communityLoading() {
			if (await firstPullDone(db)) return null;
			return { residentsLoaded: await db.residents.count() };
		},
		async redeem(resident, cart): Promise<RedeemOutcome> {
			const outcome = await recordRedemption(db, {
				residentId: resident.id,
				cardSerial: resident.cardSerial,
				credential: resident.credential,
				lines: cart.map((line) => ({
					itemId: line.item.id,
					quantity: line.quantity,
					unitPoints: line.item.points
				})),
				offline: engine.isOffline()
			});
			if (!outcome.ok) return { ok: false, problem: REDEMPTION_PROBLEMS[outcome.problem] };
			benchMark('redeem-committed');
			// In a task of its own, so the sync pass's reads and status updates come after the
			// success screen has rendered rather than competing with it.
			setTimeout(() => engine.requestSync(), 0);
			return {
				ok: true,
				newBalance: outcome.available,
				totalPoints: outcome.redemption.totalPoints
			};
		},
		async residentHistory(credential): Promise<HistoryLookup> {
			const device = await getMeta(db, 'device');
			if (!device) return { ok: false, problem: 'failed' };
			try {
				const { entries } = await api.residentHistory(device.token, credential);
				return { ok: true, entries };
			} catch (error) {
				if (!(error instanceof ApiError)) throw error;
				if (error.failure.kind === 'network') return { ok: false, problem: 'offline' };
				if (error.failure.kind === 'http' && error.failure.code === 'invalid_card') {
					return { ok: false, problem: 'refused', message: error.failure.message };
				}
				return { ok: false, problem: 'failed' };
			}
		},
		async enroll(code) {
			const outcome = await enrollKiosk(db, api, code, 'kiosk');
			if (!outcome.ok) return { ok: false, message: outcome.message };
			await engine.refresh();
			engine.requestSync();
			void requestPersistentStorage();
			return { ok: true };
		}
	};
}

async function offlineAllowance(
	db: KioskDb,
	residentId: number
): Promise<Pick<CounterResident, 'offlineSpendLeft' | 'offlineDailyLimit'>> {
	const community = await getMeta(db, 'community');
	if (!community) return { offlineSpendLeft: null, offlineDailyLimit: null };
	const today = businessDate(new Date(), community.timeZone);
	const spent = await spentOfflineToday(db, residentId, today);
	return {
		offlineSpendLeft: offlineSpendLeft(community.offlineDailyLimit, spent),
		offlineDailyLimit: community.offlineDailyLimit
	};
}

/** `lastPullAt` is written with the last page of a complete pull (sync-client.ts). */
async function firstPullDone(db: KioskDb): Promise<boolean> {
	return (await getMeta(db, 'lastPullAt')) !== undefined;
}
