/** A kiosk for shop-mode tests: two staff members, goods, a service, two residents. */
import { afterEach } from 'vitest';
import type { KioskDb } from '../local-db';
import { recordRedemption } from '../redemption';
import {
	scannedCard,
	communityKeys,
	freshDb,
	item,
	resident,
	seedEnrolledKiosk,
	staffMember,
	type CommunityKeys,
	type EnrolledKiosk
} from './kiosk-fixtures';

/** 10:00 in Shanghai on 2025-06-01. */
export const MORNING = new Date('2025-06-01T02:00:00Z');
/** 18:00 in Shanghai on 2025-06-01. */
export const EVENING = new Date('2025-06-01T10:00:00Z');
/** 20:00 in Shanghai on 2025-06-01, after the closing. */
export const NIGHT = new Date('2025-06-01T12:00:00Z');
/** 10:00 in Shanghai on 2025-06-02. */
export const NEXT_MORNING = new Date('2025-06-02T02:00:00Z');

export const SHOPKEEPER = 1;
export const MANAGER = 2;
export const RICE = 10;
export const SOAP = 11;
export const MASSAGE = 12;

export interface ShopKiosk {
	db: KioskDb;
	keys: CommunityKeys;
}

let open: KioskDb[] = [];
afterEach(() => {
	for (const db of open) db.close();
	open = [];
});

export async function shopKiosk(setup: Partial<EnrolledKiosk> = {}): Promise<ShopKiosk> {
	const db = freshDb();
	open.push(db);
	const keys = await communityKeys();
	await seedEnrolledKiosk(db, {
		publicKey: keys.publicKeyText,
		residents: [resident(1, { balance: 100 }), resident(2, { balance: 500 })],
		items: [
			item(RICE, { name: '大米 5kg', points: 30, stock: 8 }),
			item(SOAP, { name: '香皂', points: 5, stock: 20 }),
			item(MASSAGE, {
				name: '理疗一次',
				points: 20,
				stockTracked: false,
				stock: 0,
				kind: 'service'
			})
		],
		staff: [
			await staffMember(SHOPKEEPER),
			await staffMember(MANAGER, { name: '社区管理员', role: 'manager' })
		],
		lastPullAt: MORNING.toISOString(),
		...setup
	});
	return { db, keys };
}

/** A redemption at the counter, as the resident screen records it. */
export async function redeem(
	db: KioskDb,
	lines: Array<{ itemId: number; quantity: number; unitPoints: number }>,
	now: Date,
	residentId = 1
) {
	const outcome = await recordRedemption(db, {
		residentId,
		cardSerial: 1,
		credential: await scannedCard(db, residentId),
		lines,
		offline: false,
		now
	});
	if (!outcome.ok) throw new Error(`redemption refused: ${outcome.problem}`);
	return outcome.redemption;
}
