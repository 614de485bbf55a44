import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCredential } from '$lib/domain/credential';
import { verifyPin } from '$lib/domain/pin';
import { seedDemo, type DemoSeedSummary } from '../seed/demo';
import { staffChanges } from '../sync/change-feed';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { buildDemoCardSheet } from './card-sheet';

let temp: TempDatabase;
let demo: DemoSeedSummary;

beforeAll(async () => {
	temp = await openTempDatabase();
	demo = await seedDemo(temp.db);
});
afterAll(() => temp.dispose());

describe('the demo card sheet’s staff cards', () => {
	it('prints 店员老陈, the manager and a foreign shopkeeper, each with a PIN that opens their card', async () => {
		const sheet = await buildDemoCardSheet(temp.db);
		const staff = sheet!.staffCards;
		expect(staff.map((card) => [card.name, card.role, card.status])).toEqual([
			['店员老陈', 'shopkeeper', 'active'],
			['社区管理员', 'manager', 'active'],
			['店员小李', 'shopkeeper', 'foreign']
		]);
		for (const card of staff) {
			const credential = parseCredential(card.credential)!.credential;
			expect(credential).toMatchObject({ kind: 'staff', subjectId: card.staffId });
			const community = card.status === 'foreign' ? demo.foreignCommunityId : demo.communityId;
			expect(credential.communityId).toBe(community);
			// The PIN on the sheet verifies against the hash kiosks pull.
			const [change] = await staffChanges(temp.db, community, [card.staffId]);
			expect(change?.entity).toBe('staff');
			if (change?.entity !== 'staff') return;
			expect(change.data.activeSerials).toEqual([card.serial]);
			expect(await verifyPin(card.pin, change.data.pin!)).toBe(true);
			expect(await verifyPin('000000', change.data.pin!)).toBe(false);
		}
	});
});
