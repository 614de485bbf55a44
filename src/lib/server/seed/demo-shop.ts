import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { createAccount } from '../office/account-management';
import { setStaffPin } from '../office/staff-accounts';
import { addStaffMember } from '../shop/staff';
import type { DemoExtrasContext } from './demo';
import { expectOk } from './demo-outcome';

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

/** 和平里社区's own first administrator, who imports its residents and sets up its shopkeeper. */
export const DEMO_FOREIGN_ADMIN = {
	username: 'heping-admin',
	displayName: '和平里管理员'
} as const;

async function accountId(db: Kysely<Database>, username: string): Promise<number> {
	const account = await db
		.selectFrom('office_accounts')
		.select('id')
		.where('username', '=', username)
		.executeTakeFirstOrThrow();
	return account.id;
}

/**
 * Runs inside the demo seed's transaction. The admin sets the shopkeeper's PIN in the office
 * (which issues the staff card); the admin's own 店长 role has no office form (the office makes
 * only 店员 accounts shop staff), so it is added as the shop's staff list stores it.
 */
export async function seedDemoShop(
	db: Kysely<Database>,
	context: DemoExtrasContext
): Promise<void> {
	const { communityId, foreignCommunityId, adminAccountId, setUpAt: now } = context;
	const { shopkeeper, manager, foreign } = DEMO_STAFF;
	expectOk(
		await setStaffPin(
			db,
			{ communityId, accountId: adminAccountId },
			await accountId(db, shopkeeper.username),
			{ shopRole: shopkeeper.role, pin: shopkeeper.pin },
			now
		),
		'set the shopkeeper PIN'
	);
	await addStaffMember(
		db,
		{ communityId, accountId: adminAccountId, role: manager.role, pin: manager.pin },
		now
	);

	const foreignAdmin = {
		communityId: foreignCommunityId,
		accountId: context.foreignAdminAccountId
	};
	const { accountId: foreignShopId } = expectOk(
		await createAccount(
			db,
			foreignAdmin,
			{
				username: foreign.username,
				displayName: foreign.displayName,
				password: crypto.randomUUID(),
				role: 'shopkeeper'
			},
			now
		),
		'create the foreign shopkeeper'
	);
	expectOk(
		await setStaffPin(
			db,
			foreignAdmin,
			foreignShopId,
			{ shopRole: foreign.role, pin: foreign.pin },
			now
		),
		'set the foreign shopkeeper PIN'
	);
}
