/**
 * The real server routes in process, on a temporary SQLite folder, for device tests that talk to
 * the real server: `fetch` calls the route handlers the way SvelteKit would, for the parts they
 * read, and can be cut off to play an offline kiosk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, getDatabase } from '$lib/server/db/connection';
import { seedDemo, type DemoSeedSummary } from '$lib/server/seed/demo';
import { POST as enrollRoute } from '../../../routes/api/devices/enroll/+server';
import { GET as pullRoute } from '../../../routes/api/sync/pull/+server';
import { POST as pushRoute } from '../../../routes/api/sync/push/+server';

type RouteEvent = Parameters<typeof pullRoute>[0];

export interface InProcessServer {
	dataDir: string;
	demo: DemoSeedSummary;
	fetch: typeof fetch;
	/** While true, every call fails as a lost network does. */
	offline: boolean;
	dispose(): Promise<void>;
}

/** Seeds the demo into a fresh data folder (the routes open DATA_DIR's database). */
export async function startInProcessServer(prefix: string): Promise<InProcessServer> {
	const dataDir = mkdtempSync(join(tmpdir(), prefix));
	process.env.DATA_DIR = dataDir;
	const demo = await seedDemo(await getDatabase(dataDir));
	const server: InProcessServer = {
		dataDir,
		demo,
		offline: false,
		fetch: async (input, init) => {
			if (server.offline) throw new TypeError('Failed to fetch');
			const request = new Request(new URL(String(input), 'http://localhost'), init);
			const url = new URL(request.url);
			const event = { request, url, getClientAddress: () => '127.0.0.1' } as unknown as RouteEvent;
			if (url.pathname === '/api/devices/enroll') return enrollRoute(event);
			if (url.pathname === '/api/sync/push') return pushRoute(event);
			return pullRoute(event);
		},
		async dispose() {
			await closeDatabase(dataDir);
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
	return server;
}
