import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOfficeAccount } from '../office/accounts';
import { createCommunity } from '../office/communities';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { createSession, sessionAccount } from './sessions';

let temp: TempDatabase;

beforeEach(async () => {
	temp = await openTempDatabase();
});

afterEach(() => temp.dispose());

describe('office sessions', () => {
	it('carry the community’s time zone, so office pages show times on its clock', async () => {
		const communityId = await createCommunity(temp.db, {
			slug: 'ny',
			name: '纽约华人社区',
			timeZone: 'America/New_York'
		});
		const accountId = await createOfficeAccount(temp.db, {
			communityId,
			username: 'ny-admin',
			displayName: '陈主任',
			password: 'admin-password',
			role: 'admin'
		});
		const { token } = await createSession(temp.db, accountId);
		const account = await sessionAccount(temp.db, token);
		expect(account).toMatchObject({
			communityName: '纽约华人社区',
			communityTimeZone: 'America/New_York'
		});
	});
});
