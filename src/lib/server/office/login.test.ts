import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordHashing } from '../auth/hashing-slots';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { createOfficeAccount } from './accounts';
import { createCommunity } from './communities';
import { logInOfficeAccount } from './login';

let temp: TempDatabase;
const PASSWORD = 'correct horse 1';

async function makeAccount(username: string) {
	const communityId = await createCommunity(temp.db, { slug: `c-${username}`, name: '测试社区' });
	await createOfficeAccount(temp.db, {
		communityId,
		username,
		displayName: '测试',
		password: PASSWORD,
		role: 'admin'
	});
}

function logIn(username: string, password: string, clientAddress = '192.0.2.10') {
	return logInOfficeAccount(temp.db, { username, password, clientAddress });
}

beforeAll(async () => {
	temp = await openTempDatabase();
});
afterAll(() => temp.dispose());

describe('office login limits', () => {
	it('checks at most five of twenty wrong passwords sent at once, and then refuses the right one too', async () => {
		await makeAccount('wang');
		const outcomes = await Promise.all(
			Array.from({ length: 20 }, (_, i) => logIn('wang', `wrong password ${i}`))
		);
		const statuses = outcomes.map((o) => (o.ok ? 200 : o.status));
		expect(statuses.filter((s) => s === 400)).toHaveLength(5);
		expect(statuses.filter((s) => s === 429)).toHaveLength(15);
		const right = await logIn('wang', PASSWORD);
		expect(right).toMatchObject({ ok: false, status: 429 });
		// Another address is not locked out of the same account.
		expect((await logIn('wang', PASSWORD, '192.0.2.11')).ok).toBe(true);
	});

	it('does not wipe earlier failures when a login succeeds', async () => {
		await makeAccount('li');
		for (let i = 0; i < 4; i++) expect((await logIn('li', `nope ${i}`)).ok).toBe(false);
		expect((await logIn('li', PASSWORD)).ok).toBe(true);
		expect(await logIn('li', 'nope again')).toMatchObject({ ok: false, status: 400 });
		expect(await logIn('li', PASSWORD)).toMatchObject({ ok: false, status: 429 });
	});

	it('limits one password tried across many usernames and addresses', async () => {
		for (let i = 0; i < 10; i++) {
			const outcome = await logIn(`sprayed${i}`, 'Summer2026!', `198.51.100.${i}`);
			expect(outcome).toMatchObject({ ok: false, status: 400 });
		}
		const next = await logIn('someone-else', 'Summer2026!', '198.51.100.200');
		expect(next).toMatchObject({ ok: false, status: 429 });
		// Other passwords from other places still get checked.
		expect(await logIn('someone-else', 'Winter2026!', '198.51.100.201')).toMatchObject({
			status: 400
		});
	});

	it('keeps no password in the attempts table', async () => {
		await logIn('nobody', 'my secret words', '203.0.113.5');
		const keys = await temp.db.selectFrom('auth_attempts').select('key').execute();
		expect(keys.some((row) => row.key.includes('my secret words'))).toBe(false);
	});

	it('answers busy at once when the hashing line is full, without counting a failure', async () => {
		await makeAccount('zhao');
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		const blockers = Array.from({ length: 1 + passwordHashing.maxWaiting }, () =>
			passwordHashing.run(() => held)
		);
		const busy = await logIn('zhao', PASSWORD, '203.0.113.9');
		release();
		await Promise.all(blockers);
		expect(busy).toMatchObject({ ok: false, status: 429 });
		expect(busy.ok === false && busy.message).toMatch(/稍等/);
		const attempts = await temp.db
			.selectFrom('auth_attempts')
			.select('id')
			.where('key', 'like', '%203.0.113.9%')
			.execute();
		expect(attempts).toHaveLength(0);
		expect((await logIn('zhao', PASSWORD, '203.0.113.9')).ok).toBe(true);
	});
});
