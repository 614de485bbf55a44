import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { createFirstCommunityAndAdmin } from './first-start';

let temp: TempDatabase;

beforeAll(async () => {
	temp = await openTempDatabase();
});
afterAll(() => temp.dispose());

describe('first start', () => {
	it('lets exactly one of three setups sent at once create a community and an admin', async () => {
		const outcomes = await Promise.all(
			[1, 2, 3].map((n) =>
				createFirstCommunityAndAdmin(temp.db, {
					communityName: `社区${n}`,
					slug: `community-${n}`,
					username: `admin${n}`,
					displayName: `管理员${n}`,
					password: 'a long password'
				})
			)
		);
		expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
		for (const refused of outcomes.filter((o) => !o.ok)) {
			expect(refused).toMatchObject({ message: '已经有管理员账号了，请直接登录' });
		}
		expect(await temp.db.selectFrom('communities').select('id').execute()).toHaveLength(1);
		expect(await temp.db.selectFrom('office_accounts').select('id').execute()).toHaveLength(1);
	});
});
