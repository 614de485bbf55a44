import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, getDatabase } from './db/connection';
import { createFirstCommunityAndAdmin } from './office/first-start';
import { StartRefused, prepareServer, startupBanner } from './startup';

const folders: string[] = [];

function freshEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const dataDir = mkdtempSync(join(tmpdir(), 'credit-shop-start-'));
	folders.push(dataDir);
	return { DATA_DIR: dataDir, PORT: '4567', ...extra };
}

afterEach(async () => {
	for (const folder of folders.splice(0)) {
		await closeDatabase(folder);
		rmSync(folder, { recursive: true, force: true });
	}
});

describe('server start', () => {
	it('seeds an empty folder in demo mode once, and mints fresh codes on every start', async () => {
		const env = freshEnv({ CREDIT_SHOP_DEMO: '1' });
		const first = await prepareServer(env);
		expect(first).toMatchObject({ demo: true, seeded: true, needsSetup: false });
		expect(first.enrollmentCodes.map((code) => code.kind)).toEqual(['kiosk', 'display']);

		const second = await prepareServer(env);
		expect(second.seeded).toBe(false);
		expect(second.enrollmentCodes[0]!.code).not.toBe(first.enrollmentCodes[0]!.code);
		const db = await getDatabase(env.DATA_DIR);
		const communities = await db.selectFrom('communities').select('slug').orderBy('id').execute();
		expect(communities.map((c) => c.slug)).toEqual(['xingfuli', 'hepingli']);

		const banner = startupBanner(second, env);
		expect(banner).toContain('http://localhost:4567/kiosk');
		expect(banner).toContain('http://localhost:4567/demo/cards');
		expect(banner).toContain('admin / demo1234');
		const kioskCode = second.enrollmentCodes[0]!.code;
		expect(banner).toContain(`${kioskCode.slice(0, 4)}-${kioskCode.slice(4)}`);
		// The lobby display is built: its URL and its own one-time code, with no "not built yet".
		expect(banner).toMatch(/Lobby display +http:\/\/localhost:4567\/display\n/);
		const displayCode = second.enrollmentCodes[1]!.code;
		expect(banner).toContain(`${displayCode.slice(0, 4)}-${displayCode.slice(4)}`);
	});

	it('creates no data without demo mode and asks for the first office account', async () => {
		const env = freshEnv({ ORIGIN: 'https://shop.example.org' });
		const summary = await prepareServer(env);
		expect(summary).toMatchObject({
			demo: false,
			seeded: false,
			needsSetup: true,
			enrollmentCodes: []
		});
		const db = await getDatabase(env.DATA_DIR);
		expect(await db.selectFrom('communities').select('id').execute()).toEqual([]);
		expect(startupBanner(summary, env)).toContain('https://shop.example.org/admin/setup');
	});

	it('refuses a real start on a folder the demo seeded, naming the folder', async () => {
		const env = freshEnv({ CREDIT_SHOP_DEMO: '1' });
		await prepareServer(env);
		const real = { ...env, CREDIT_SHOP_DEMO: '' };
		const refusal = prepareServer(real);
		await expect(refusal).rejects.toBeInstanceOf(StartRefused);
		await expect(refusal).rejects.toThrow(env.DATA_DIR!);
		await expect(refusal).rejects.toThrow(/演示数据/);
	});

	it('refuses demo mode on a folder that holds real data', async () => {
		const env = freshEnv();
		const db = await getDatabase(env.DATA_DIR);
		await createFirstCommunityAndAdmin(db, {
			communityName: '真实社区',
			slug: 'real-one',
			username: 'boss',
			displayName: '主任',
			password: 'a long password'
		});
		await expect(prepareServer({ ...env, CREDIT_SHOP_DEMO: '1' })).rejects.toThrow(/正式数据/);
		const communities = await db.selectFrom('communities').select('slug').execute();
		expect(communities.map((c) => c.slug)).toEqual(['real-one']);
	});
});
