import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction } from '../db/transactions';
import { generateCommunityKeys } from '../keys/community-keys';
import { recordCommunityChange } from '../sync/change-feed';

export interface NewCommunity {
	slug: string;
	name: string;
	timeZone?: string;
	/** Points one resident may spend per business day while a kiosk is offline. */
	offlineDailyLimit?: number;
	/** Hours after the last pull when a kiosk stops redeeming. */
	offlineMaxAgeHours?: number;
}

export const DEFAULT_OFFLINE_DAILY_LIMIT = 50;
export const DEFAULT_OFFLINE_MAX_AGE_HOURS = 72;

/** Creates a community with its own card-signing key pair and puts it on the change feed. */
export async function createCommunity(
	db: Kysely<Database>,
	community: NewCommunity,
	now: Date = new Date()
): Promise<number> {
	const keys = await generateCommunityKeys();
	const write = async (trx: Kysely<Database>) => {
		const row = await trx
			.insertInto('communities')
			.values({
				slug: community.slug,
				name: community.name,
				time_zone: community.timeZone ?? 'Asia/Shanghai',
				public_key: keys.publicKey,
				private_key: keys.privateKey,
				offline_daily_limit: community.offlineDailyLimit ?? DEFAULT_OFFLINE_DAILY_LIMIT,
				offline_max_age_hours: community.offlineMaxAgeHours ?? DEFAULT_OFFLINE_MAX_AGE_HOURS,
				created_at: now.toISOString()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await recordCommunityChange(trx, row.id, now);
		return row.id;
	};
	return inTransaction(db, write);
}
