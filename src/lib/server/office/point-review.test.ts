import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { createPointsWorld, type PointsWorld } from '../testing/points-fixtures';
import { recordPoints, refuseRecord } from './point-records';
import { listReviewBatches, reviewPointsSetting, setReviewPoints } from './point-review';

let temp: TempDatabase;
let world: PointsWorld;
const now = new Date('2026-12-06T03:00:00Z');

beforeEach(async () => {
	temp = await openTempDatabase();
	world = await createPointsWorld(temp.db);
});

afterEach(() => temp.dispose());

const record = (batchKey: string, residentIds: number[], actor = world.grid) =>
	recordPoints(
		temp.db,
		actor,
		{
			ruleId: world.rules.stairs,
			occurredOn: '2026-12-05',
			residentIds,
			note: null,
			photo: null,
			batchKey
		},
		now
	);

describe('listReviewBatches', () => {
	it('groups pending records by batch for the admin, and shows a 网格员 his own pending and refused ones', async () => {
		await record('batch-one-key', world.residents.slice(0, 2));
		await record('batch-two-key', world.residents.slice(2, 3));
		await record('batch-admin-key', world.residents.slice(3, 4), world.admin);
		const all = await listReviewBatches(temp.db, world.communityId, {}, now);
		expect(all.map((b) => [b.batchKey, b.records.length, b.ruleName, b.recordedByName])).toEqual([
			['batch-one-key', 2, '楼道清洁', 'grid'],
			['batch-two-key', 1, '楼道清洁', 'grid']
		]);

		const [refused] = all[1]!.records;
		await refuseRecord(temp.db, world.admin, refused!.id, '那天下雨没有打扫', now);
		const mine = await listReviewBatches(
			temp.db,
			world.communityId,
			{ recordedBy: world.grid.id },
			now
		);
		expect(mine.map((b) => b.records.map((r) => [r.status, r.refusalReason]))).toEqual([
			[
				['pending', null],
				['pending', null]
			],
			[['refused', '那天下雨没有打扫']]
		]);
		expect(await listReviewBatches(temp.db, world.foreignCommunityId, {}, now)).toEqual([]);
	});
});

describe('the review setting', () => {
	it('is on by default, an admin turns it off with an audit row, and a 网格员 cannot', async () => {
		expect(await reviewPointsSetting(temp.db, world.communityId)).toBe(true);
		expect(await setReviewPoints(temp.db, world.grid, false, now)).toEqual({
			ok: false,
			message: '只有管理员可以修改这个设置'
		});
		expect(await reviewPointsSetting(temp.db, world.communityId)).toBe(true);
		expect(await setReviewPoints(temp.db, world.admin, false, now)).toEqual({ ok: true });
		expect(await reviewPointsSetting(temp.db, world.communityId)).toBe(false);
		const audit = await temp.db.selectFrom('audit_log').select('action').execute();
		expect(audit.map((a) => a.action)).toEqual(['community.review_points']);
	});
});
