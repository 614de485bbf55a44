import { isHttpError, type Cookies } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { closeDatabase } from '$lib/server/db/connection';
import { createOfficeAccount } from '$lib/server/office/accounts';
import { listAudit } from '$lib/server/office/audit';
import { createCommunity } from '$lib/server/office/communities';
import { openTempDatabase, type TempDatabase } from '$lib/server/testing/temp-database';
import * as accountsPage from './accounts/+page.server';
import * as auditPage from './audit/+page.server';
import * as cardsPage from './cards/+page.server';
import * as devicesPage from './devices/+page.server';
import * as flagsPage from './flags/+page.server';

/*
 * A 网格员 or a 店员 reaching an admin page or action directly: every load and every action of
 * the admin-only pages answers 403 and writes nothing. Runs the real route modules against a
 * real database (DATA_DIR points at a temporary folder).
 */

let temp: TempDatabase;
let communityId: number;
const tokens: Record<'gridWorker' | 'shopkeeper', string> = { gridWorker: '', shopkeeper: '' };
const previousDataDir = process.env.DATA_DIR;

beforeAll(async () => {
	temp = await openTempDatabase();
	process.env.DATA_DIR = temp.dataDir;
	communityId = await createCommunity(temp.db, { slug: 'roles', name: '角色社区' });
	for (const role of ['gridWorker', 'shopkeeper'] as const) {
		const id = await createOfficeAccount(temp.db, {
			communityId,
			username: `${role}-user`,
			displayName: role,
			password: 'role-password',
			role
		});
		tokens[role] = (await createSession(temp.db, id)).token;
	}
});

afterAll(async () => {
	await closeDatabase(temp.dataDir);
	process.env.DATA_DIR = previousDataDir;
	await temp.dispose();
});

function cookiesWith(token: string): Cookies {
	return { get: (name: string) => (name === SESSION_COOKIE ? token : undefined) } as Cookies;
}

function postRequest(fields: Record<string, string>): Request {
	const body = new FormData();
	for (const [name, value] of Object.entries(fields)) body.set(name, value);
	return new Request('http://localhost/admin/x', { method: 'POST', body });
}

async function statusOf(run: () => unknown): Promise<number | 'no error'> {
	try {
		await run();
		return 'no error';
	} catch (thrown) {
		if (isHttpError(thrown)) return thrown.status;
		throw thrown;
	}
}

type AnyHandler = (event: never) => unknown;
const pages = {
	accounts: accountsPage,
	cards: cardsPage,
	devices: devicesPage,
	audit: auditPage,
	flags: flagsPage
};
const fields = {
	accountId: '1',
	cardId: '1',
	residentId: '1',
	building: '1栋',
	username: 'sneaky',
	displayName: '越权',
	role: 'admin',
	password: 'sneaky-password',
	passwordAgain: 'sneaky-password',
	pin: '1234',
	pinAgain: '1234',
	shopRole: 'manager',
	reason: '越权',
	confirm: 'yes',
	kind: 'kiosk',
	deviceId: 'x',
	flagId: '1',
	note: '越权'
};

describe('admin-only office pages', () => {
	for (const role of ['gridWorker', 'shopkeeper'] as const) {
		for (const [name, page] of Object.entries(pages)) {
			it(`refuses a ${role} the ${name} page and each of its actions with 403, changing nothing`, async () => {
				const cookies = cookiesWith(tokens[role]);
				const url = new URL('http://localhost/admin/x');
				const load = page.load as unknown as AnyHandler;
				expect(await statusOf(() => load({ cookies, url } as never))).toBe(403);
				const actions = ('actions' in page ? page.actions : {}) as Record<string, AnyHandler>;
				for (const action of Object.values(actions)) {
					const request = postRequest(fields);
					expect(await statusOf(() => action({ cookies, request, url } as never))).toBe(403);
				}
				expect(await listAudit(temp.db, communityId)).toEqual([]);
				const accounts = await temp.db.selectFrom('office_accounts').select('username').execute();
				expect(accounts.map((a) => a.username)).not.toContain('sneaky');
			});
		}
	}
});
