/**
 * 100,000 residents on a kiosk, in process: the kiosk's first pull (the server's change pages
 * applied to the kiosk's Dexie database) and card lookups against it. IndexedDB here is
 * fake-indexeddb, so these figures describe our code's work, not Chromium's storage; the browser
 * benchmark measures the real first pull over HTTP.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { it } from 'vitest';
import { databaseFile, openDatabase } from '$lib/server/db/connection';
import { communitySnapshot } from '$lib/server/sync/snapshots';
import { readChangePage } from '$lib/server/sync/pull';
import { PULL_PAGE_MAX } from '$lib/protocol/limits';
import { lookupCard } from '$lib/kiosk/card-lookup';
import { KioskDb } from '$lib/kiosk/local-db';
import { applyPullPage } from '$lib/kiosk/sync-client';
import { percentile, readJson, requiredEnv, writeJson } from './bench-io.js';

const LOOKUPS = 1000;

it('pulls 100,000 residents into a kiosk database and looks cards up', async () => {
	const prepared = readJson(requiredEnv('BENCH_PREPARED_JSON'));
	const out = requiredEnv('BENCH_KIOSK_JSON');
	const server = openDatabase(databaseFile(prepared.dataDir));
	const kiosk = new KioskDb({ name: 'bench-kiosk', indexedDB: new IDBFactory(), IDBKeyRange });
	try {
		const community = await server
			.selectFrom('communities')
			.selectAll()
			.where('id', '=', prepared.large.communityId)
			.executeTakeFirstOrThrow();
		await kiosk.meta.bulkPut([
			{ key: 'device', value: { deviceId: crypto.randomUUID(), token: 'bench', kind: 'kiosk' } },
			{ key: 'community', value: communitySnapshot(community) }
		]);

		const pullStarted = performance.now();
		let cursor = 0;
		let pages = 0;
		for (;;) {
			const page = await readChangePage(server, community.id, cursor, PULL_PAGE_MAX);
			await applyPullPage(kiosk, page, new Date().toISOString());
			pages++;
			cursor = page.cursor;
			if (!page.hasMore) break;
		}
		const pullMs = performance.now() - pullStarted;
		const residentsStored = await kiosk.residents.count();

		// Warm up the key import and the first reads, as a kiosk that has been running would be.
		await lookupCard(kiosk, prepared.large.cards[0].credential);
		const lookupMs = [];
		for (let i = 0; i < LOOKUPS; i++) {
			const card = prepared.large.cards[i % prepared.large.cards.length];
			const started = performance.now();
			const result = await lookupCard(kiosk, card.credential);
			lookupMs.push(performance.now() - started);
			if (!result.ok)
				throw new Error(`lookup of resident ${card.residentId} failed: ${result.problem}`);
		}

		writeJson(out, {
			residents: residentsStored,
			pages,
			pullMs,
			lookups: LOOKUPS,
			lookupP50Ms: percentile(lookupMs, 0.5),
			lookupP95Ms: percentile(lookupMs, 0.95)
		});
	} finally {
		kiosk.close();
		await server.destroy();
	}
});
