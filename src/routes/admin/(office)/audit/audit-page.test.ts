import type { Cookies } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { closeDatabase } from '$lib/server/db/connection';
import { createOfficeAccount } from '$lib/server/office/accounts';
import { recordAudit } from '$lib/server/office/audit';
import { createCommunity } from '$lib/server/office/communities';
import { openTempDatabase, type TempDatabase } from '$lib/server/testing/temp-database';
import { load } from './+page.server';

/* The audit list as the admin reads it: newest first, by group and account, fifty a page. */

let temp: TempDatabase;
let token: string;
let adminId: number;
let clerkId: number;
const previousDataDir = process.env.DATA_DIR;

beforeAll(async () => {
	temp = await openTempDatabase();
	process.env.DATA_DIR = temp.dataDir;
	const communityId = await createCommunity(temp.db, { slug: 'audit', name: '记录社区' });
	const account = (username: string, role: 'admin' | 'gridWorker') =>
		createOfficeAccount(temp.db, {
			communityId,
			username,
			displayName: username,
			password: 'audit-password',
			role
		});
	adminId = await account('boss', 'admin');
	clerkId = await account('clerk', 'gridWorker');
	token = (await createSession(temp.db, adminId)).token;
	const start = Date.parse('2026-12-01T00:00:00Z');
	for (let i = 1; i <= 60; i++) {
		await recordAudit(
			temp.db,
			{
				communityId,
				accountId: i % 2 === 0 ? adminId : clerkId,
				action: i <= 55 ? 'card.issue' : 'account.create',
				summary: `第 ${i} 条`
			},
			new Date(start + i * 60_000)
		);
	}
	// Another community's rows never show.
	const other = await createCommunity(temp.db, { slug: 'other', name: '别的社区' });
	await recordAudit(temp.db, {
		communityId: other,
		accountId: null,
		action: 'card.issue',
		summary: '别处'
	});
});

afterAll(async () => {
	await closeDatabase(temp.dataDir);
	process.env.DATA_DIR = previousDataDir;
	await temp.dispose();
});

async function read(query: string) {
	const cookies = { get: (name: string) => (name === SESSION_COOKIE ? token : undefined) };
	const url = new URL(`http://localhost/admin/audit${query}`);
	const data = await (
		load as unknown as (event: { cookies: Cookies; url: URL }) => Promise<{
			rows: { summary: string; group: string; who: string }[];
			olderBeforeId: number | null;
		}>
	)({ cookies: cookies as Cookies, url });
	return data;
}

describe('the audit list page', () => {
	it('shows the newest fifty first and pages to the older ones', async () => {
		const first = await read('');
		expect(first.rows).toHaveLength(50);
		expect(first.rows[0]).toMatchObject({ summary: '第 60 条', group: '账号', who: 'boss' });
		expect(first.olderBeforeId).not.toBeNull();
		const second = await read(`?before=${first.olderBeforeId}`);
		expect(second.rows.map((row) => row.summary)).toEqual(
			Array.from({ length: 10 }, (_, i) => `第 ${10 - i} 条`)
		);
		expect(second.olderBeforeId).toBeNull();
	});

	it('filters by group and by account, and ignores a group it does not know', async () => {
		expect((await read('?group=account')).rows).toHaveLength(5);
		const byClerk = await read(`?account=${clerkId}&group=account`);
		expect(byClerk.rows.map((row) => row.summary)).toEqual(['第 59 条', '第 57 条']);
		expect((await read('?group=nonsense')).rows).toHaveLength(50);
	});
});
