import type { Kysely } from 'kysely';
import { hashPassword } from '../auth/passwords';
import type { Database, OfficeRole } from '../db/schema';

export const OFFICE_ROLE_NAMES: Record<OfficeRole, string> = {
	admin: '管理员',
	gridWorker: '网格员',
	shopkeeper: '店员'
};

export interface NewOfficeAccount {
	communityId: number;
	username: string;
	displayName: string;
	password: string;
	role: OfficeRole;
}

export async function createOfficeAccount(
	db: Kysely<Database>,
	account: NewOfficeAccount,
	now: Date = new Date()
): Promise<number> {
	const row = await db
		.insertInto('office_accounts')
		.values({
			community_id: account.communityId,
			username: account.username,
			display_name: account.displayName,
			password_hash: await hashPassword(account.password),
			role: account.role,
			active: 1,
			created_at: now.toISOString()
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function hasOfficeAccounts(db: Kysely<Database>): Promise<boolean> {
	return (
		(await db.selectFrom('office_accounts').select('id').limit(1).executeTakeFirst()) !== undefined
	);
}
