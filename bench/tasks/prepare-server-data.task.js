/**
 * Prepares the benchmark server's data folder before the server starts: the demo community,
 * a second community of 100,000 residents, and one-time kiosk enrollment codes for both.
 */
import { it } from 'vitest';
import { chunked } from '$lib/server/db/chunks';
import { databaseFile, openMigratedDatabase } from '$lib/server/db/connection';
import { mintEnrollmentCode } from '$lib/server/devices/enrollment';
import { residentCardText, importCommunityPrivateKey } from '$lib/server/keys/community-keys';
import { seedDemo } from '$lib/server/seed/demo';
import { seedLargeCommunity } from '$lib/server/seed/large-community';
import { recordResidentChanges } from '$lib/server/sync/change-feed';
import { requiredEnv, writeJson } from './bench-io.js';

const LARGE_RESIDENTS = Number(process.env.BENCH_LARGE_RESIDENTS || 100_000);
/** Card texts handed to the browser benchmark for the large community. */
const LARGE_CARD_SAMPLE = 60;
/** Residents the push figure's redemptions are spread over (its 5 × 1,000 events). */
const PUSH_CARDS = 5000;
/** Points each demo resident gets for the pending backlog of figure 2. */
const BACKLOG_POINTS = 150;

/**
 * The kiosk of figure 2 holds 1,000 pending redemptions of its own (three busy days offline),
 * more than the demo's 200 residents could pay for with their history: each gets points for them
 * first, on the change feed as the office's points go out, so a kiosk pulls the new balances.
 */
async function giveDemoResidentsPoints(db, communityId) {
	const residents = await db
		.selectFrom('residents')
		.select('id')
		.where('community_id', '=', communityId)
		.execute();
	const now = new Date();
	const at = now.toISOString();
	const rows = residents.map(({ id }) => ({
		community_id: communityId,
		resident_id: id,
		points: BACKLOG_POINTS,
		reason: 'earn',
		actor_kind: 'system',
		actor_id: 'bench',
		note: '基准测试：三天离线兑换的积分',
		occurred_at: at,
		recorded_at: at
	}));
	await db.transaction().execute(async (trx) => {
		for (const chunk of chunked(rows, 400))
			await trx.insertInto('ledger_entries').values(chunk).execute();
		await recordResidentChanges(
			trx,
			communityId,
			residents.map((r) => r.id),
			now
		);
	});
}

it('prepares the benchmark data folder', async () => {
	const dataDir = requiredEnv('BENCH_DATA_DIR');
	const out = requiredEnv('BENCH_PREPARED_JSON');
	const db = await openMigratedDatabase(databaseFile(dataDir));
	try {
		const demo = await seedDemo(db);
		await giveDemoResidentsPoints(db, demo.communityId);
		const seedStarted = performance.now();
		const large = await seedLargeCommunity(db, { residents: LARGE_RESIDENTS });
		const largeSeedMs = performance.now() - seedStarted;

		const demoCodes = [];
		for (let i = 0; i < 8; i++) {
			demoCodes.push(
				(await mintEnrollmentCode(db, { communityId: demo.communityId, kind: 'kiosk' })).code
			);
		}
		const largeCodes = [];
		// One for the browser's first pull, one per kiosk backlog of the push figure.
		for (let i = 0; i < 8; i++) {
			largeCodes.push(
				(await mintEnrollmentCode(db, { communityId: large.communityId, kind: 'kiosk' })).code
			);
		}

		const community = await db
			.selectFrom('communities')
			.select(['private_key'])
			.where('id', '=', large.communityId)
			.executeTakeFirstOrThrow();
		const privateKey = await importCommunityPrivateKey(community.private_key);
		const step = Math.floor(large.residentIds.length / LARGE_CARD_SAMPLE);
		const largeCards = [];
		for (let i = 0; i < LARGE_CARD_SAMPLE; i++) {
			const residentId = large.residentIds[i * step];
			largeCards.push({
				residentId,
				credential: await residentCardText(privateKey, {
					communityId: large.communityId,
					residentId,
					serial: 1
				})
			});
		}

		// The demo residents' cards, richest first, signed as the printed sheet signs them.
		const demoKey = await db
			.selectFrom('communities')
			.select(['private_key'])
			.where('id', '=', demo.communityId)
			.executeTakeFirstOrThrow();
		const demoPrivateKey = await importCommunityPrivateKey(demoKey.private_key);
		const demoCardRows = await db
			.selectFrom('cards')
			.innerJoin('ledger_entries', 'ledger_entries.resident_id', 'cards.resident_id')
			.select(['cards.resident_id as residentId', 'cards.serial as serial'])
			.select((eb) => eb.fn.sum('ledger_entries.points').as('balance'))
			.where('cards.community_id', '=', demo.communityId)
			.where('cards.kind', '=', 'resident')
			.where('cards.revoked_at', 'is', null)
			.groupBy(['cards.resident_id', 'cards.serial'])
			.orderBy('balance', 'desc')
			.execute();
		const demoCards = [];
		for (const row of demoCardRows) {
			demoCards.push({
				residentId: row.residentId,
				serial: row.serial,
				balance: Number(row.balance),
				credential: await residentCardText(demoPrivateKey, {
					communityId: demo.communityId,
					residentId: row.residentId,
					serial: row.serial
				})
			});
		}

		// Cards for the push figure's backlogs, spread over the whole community: each pushed
		// redemption carries its card's text, and the server checks the signature.
		const pushCards = [];
		const pushStep = Math.max(1, Math.floor(large.residentIds.length / PUSH_CARDS));
		for (let i = 0; i < large.residentIds.length && pushCards.length < PUSH_CARDS; i += pushStep) {
			const residentId = large.residentIds[i];
			pushCards.push({
				residentId,
				credential: await residentCardText(privateKey, {
					communityId: large.communityId,
					residentId,
					serial: 1
				})
			});
		}

		writeJson(out, {
			dataDir,
			demoCommunityId: demo.communityId,
			demoCodes,
			demoCards,
			large: {
				communityId: large.communityId,
				residents: large.residents,
				seedMs: largeSeedMs,
				codes: largeCodes,
				cards: largeCards,
				pushCards,
				residentIds: large.residentIds,
				itemIds: large.itemIds
			}
		});
	} finally {
		await db.destroy();
	}
});
