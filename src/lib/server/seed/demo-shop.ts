import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { createOfficeAccount } from '../office/accounts';
import { addStaffMember } from '../shop/staff';
import type { DemoExtrasContext } from './demo';

/**
 * The demo's shop staff: the office accounts 店员老陈 (shopkeeper) and 社区管理员 (manager, who
 * approves a large count difference) get a staff card and a PIN; 和平里社区 gets a shopkeeper too,
 * whose card must be refused by a kiosk of 幸福里社区. All are printed on the demo card sheet.
 */
export const DEMO_STAFF = {
	shopkeeper: { username: 'shop', role: 'shopkeeper', pin: '246810' },
	manager: { username: 'admin', role: 'manager', pin: '135790' },
	foreign: {
		username: 'heping-shop',
		displayName: '店员小李',
		role: 'shopkeeper',
		pin: '246810'
	}
} as const;

/** Runs inside the demo seed's transaction. */
export async function seedDemoShop(
	db: Kysely<Database>,
	context: DemoExtrasContext
): Promise<void> {
	const { communityId, foreignCommunityId, now } = context;
	for (const staff of [DEMO_STAFF.shopkeeper, DEMO_STAFF.manager]) {
		const account = await db
			.selectFrom('office_accounts')
			.select('id')
			.where('username', '=', staff.username)
			.executeTakeFirstOrThrow();
		await addStaffMember(
			db,
			{ communityId, accountId: account.id, role: staff.role, pin: staff.pin },
			now
		);
	}
	const { foreign } = DEMO_STAFF;
	const foreignAccountId = await createOfficeAccount(
		db,
		{
			communityId: foreignCommunityId,
			username: foreign.username,
			displayName: foreign.displayName,
			// Nobody logs in with it: it exists for its staff card.
			password: crypto.randomUUID(),
			role: 'shopkeeper'
		},
		now
	);
	await addStaffMember(
		db,
		{
			communityId: foreignCommunityId,
			accountId: foreignAccountId,
			role: foreign.role,
			pin: foreign.pin
		},
		now
	);
}
