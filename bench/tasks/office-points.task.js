/**
 * Recording points in the office, in process, on a real SQLite file: an admin records one batch
 * of 200 residents (an activity's volunteers) with `recordPoints` — 200 point records, 200 ledger
 * entries, 200 resident snapshots on the kiosks' change feed and one audit row, in one
 * transaction. The community has 2,000 residents with 20 ledger entries each, so the balances
 * the feed carries are sums over a real history. Ten runs, each a new batch of the same rule.
 * Aim: ≤ 1 s per batch.
 */
import { it } from 'vitest';
import { businessDate } from '$lib/domain/business-date';
import { chunked } from '$lib/server/db/chunks';
import { recordPoints } from '$lib/server/office/point-records';
import { addResidents, createPointsWorld } from '$lib/server/testing/points-fixtures';
import { openTempDatabase } from '$lib/server/testing/temp-database';
import { percentile, writeJson } from './bench-io.js';

const RESIDENTS = 2_000;
const HISTORY_PER_RESIDENT = 20;
const BATCH = 200;
const RUNS = 10;

async function seedHistory(db, communityId, residentIds) {
	const at = new Date(Date.now() - 30 * 86_400_000).toISOString();
	const rows = residentIds.flatMap((residentId) =>
		Array.from({ length: HISTORY_PER_RESIDENT }, (_, i) => ({
			community_id: communityId,
			resident_id: residentId,
			points: i % 5 === 4 ? -3 : 2,
			reason: i % 5 === 4 ? 'redemption' : 'earn',
			actor_kind: 'system',
			actor_id: 'bench',
			occurred_at: at,
			recorded_at: at
		}))
	);
	await db.transaction().execute(async (trx) => {
		for (const chunk of chunked(rows, 400))
			await trx.insertInto('ledger_entries').values(chunk).execute();
	});
}

it(`records a batch of ${BATCH} residents as an admin`, async () => {
	const temp = await openTempDatabase('credit-shop-bench-points-');
	try {
		const world = await createPointsWorld(temp.db);
		const residents = await addResidents(temp.db, world.communityId, RESIDENTS);
		await seedHistory(temp.db, world.communityId, residents);
		const rule = await temp.db
			.insertInto('point_rules')
			.values({
				community_id: world.communityId,
				kind: 'earn',
				name: '楼道清洁',
				points: 2,
				active: 1,
				sort_order: 1
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const today = businessDate(new Date(), 'Asia/Shanghai');

		const samples = [];
		for (let run = 0; run < RUNS; run++) {
			const residentIds = residents.slice(run * 150, run * 150 + BATCH);
			const started = performance.now();
			const outcome = await recordPoints(temp.db, world.admin, {
				ruleId: rule.id,
				occurredOn: today,
				residentIds,
				note: '楼道清洁活动',
				photo: null,
				batchKey: `bench-batch-${run}`
			});
			samples.push(performance.now() - started);
			if (!outcome.ok || outcome.status !== 'approved' || outcome.count !== BATCH) {
				throw new Error(`the batch was not recorded: ${JSON.stringify(outcome)}`);
			}
		}
		const result = {
			batch: BATCH,
			residents: RESIDENTS,
			runs: RUNS,
			medianMs: Math.round(percentile(samples, 0.5) * 10) / 10,
			p95Ms: Math.round(percentile(samples, 0.95) * 10) / 10,
			samplesMs: samples.map((ms) => Math.round(ms * 10) / 10)
		};
		console.log(
			`office points: a batch of ${BATCH} residents recorded in ${result.medianMs} ms (median), ${result.p95Ms} ms (p95) over ${RUNS} runs`
		);
		if (process.env.BENCH_OFFICE_POINTS_OUT) writeJson(process.env.BENCH_OFFICE_POINTS_OUT, result);
	} finally {
		await temp.dispose();
	}
});
