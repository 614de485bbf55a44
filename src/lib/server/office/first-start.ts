import type { Kysely } from 'kysely';
import * as v from 'valibot';
import { immediateTransaction } from '../db/connection';
import type { Database } from '../db/schema';
import { DisplayNameSchema, PasswordSchema, UsernameSchema } from './account-management';
import { createOfficeAccount, hasOfficeAccounts } from './accounts';
import { createCommunity } from './communities';

export const FirstStartSchema = v.object({
	communityName: v.pipe(v.string(), v.trim(), v.minLength(2, '请填写社区名称'), v.maxLength(40)),
	slug: v.pipe(
		v.string(),
		v.trim(),
		v.toLowerCase(),
		v.regex(/^[a-z0-9][a-z0-9-]{1,39}$/, '社区代号用 2–40 个小写字母、数字或连字符')
	),
	username: UsernameSchema,
	displayName: DisplayNameSchema,
	password: PasswordSchema
});
export type FirstStart = v.InferOutput<typeof FirstStartSchema>;

/**
 * The first start of a real installation: creates the community (with its card-signing keys)
 * and its first administrator. Refused once any office account exists. The check and the writes
 * run in one BEGIN IMMEDIATE transaction, so of several forms sent at once exactly one wins.
 */
export async function createFirstCommunityAndAdmin(
	db: Kysely<Database>,
	input: FirstStart,
	now: Date = new Date()
): Promise<{ ok: true; accountId: number } | { ok: false; message: string }> {
	return immediateTransaction(db, async (trx) => {
		if (await hasOfficeAccounts(trx)) {
			return { ok: false, message: '已经有管理员账号了，请直接登录' };
		}
		const taken = await trx
			.selectFrom('communities')
			.select('id')
			.where('slug', '=', input.slug)
			.executeTakeFirst();
		if (taken) return { ok: false, message: '这个社区代号已被使用' };
		const communityId = await createCommunity(
			trx,
			{ slug: input.slug, name: input.communityName },
			now
		);
		// The slow password hash holds the write lock for ~0.1 s, once in an installation's life.
		const accountId = await createOfficeAccount(
			trx,
			{
				communityId,
				username: input.username,
				displayName: input.displayName,
				password: input.password,
				role: 'admin'
			},
			now
		);
		return { ok: true, accountId };
	});
}
