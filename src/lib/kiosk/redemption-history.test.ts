import { afterEach, describe, expect, it } from 'vitest';
import type { KioskDb } from './local-db';
import { recordRedemption } from './redemption';
import { pendingRedemptions, recentRedemptions } from './redemption-history';
import { requestPersistentStorage } from '$lib/terminal/persistence';
import {
	scannedCard,
	communityKeys,
	freshDb,
	item,
	resident,
	seedEnrolledKiosk
} from './testing/kiosk-fixtures';

let db: KioskDb;
afterEach(() => db?.close());

describe('redemption history', () => {
	it('lists pending redemptions oldest first and recent ones newest first, after a reopen', async () => {
		db = freshDb();
		const keys = await communityKeys();
		await seedEnrolledKiosk(db, {
			publicKey: keys.publicKeyText,
			residents: [resident(1)],
			items: [item(10, { points: 1, stock: 100 })]
		});
		for (const quantity of [1, 2, 3]) {
			await recordRedemption(db, {
				residentId: 1,
				cardSerial: 1,
				credential: await scannedCard(db, 1),
				lines: [{ itemId: 10, quantity, unitPoints: 1 }],
				offline: true
			});
		}
		// A reload opens the same database again: everything is still there.
		db.close();
		await db.open();
		expect((await pendingRedemptions(db)).map((r) => r.totalPoints)).toEqual([1, 2, 3]);
		expect((await recentRedemptions(db, 2)).map((r) => r.totalPoints)).toEqual([3, 2]);
	});
});

describe('persistent storage', () => {
	it('answers false where the Storage API is missing, as in Node', async () => {
		expect(await requestPersistentStorage()).toBe(false);
	});
});
