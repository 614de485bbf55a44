import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamedCommunity, type NamedCommunity } from '../testing/display-fixtures';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { addBoardEntries, createBoard, createStory } from './content';
import { displayOverview } from './office-overview';

const DAY_MS = 24 * 3600_000;

describe('displayOverview', () => {
	let temp: TempDatabase;
	let home: NamedCommunity;
	let other: NamedCommunity;
	const now = new Date('2026-11-22T04:00:00Z');

	beforeAll(async () => {
		temp = await openTempDatabase();
		home = await createNamedCommunity(temp.db, 'home', { '1栋1单元101': ['周建华'] }, now);
		other = await createNamedCommunity(temp.db, 'other', { '9栋1单元101': ['吴桂兰'] }, now);
		const current = await createBoard(temp.db, {
			communityId: home.communityId,
			quarter: '2026-Q4',
			status: 'published'
		});
		const residentId = home.residentIds['周建华']!;
		await addBoardEntries(temp.db, current, [
			{ list: 'red', reason: '楼道清扫志愿者', residentId },
			{ list: 'black', category: '飞线充电', residentId },
			{ list: 'black', category: '高空抛物', residentId, expiresAt: new Date(now.getTime() - 1) }
		]);
		await createBoard(temp.db, {
			communityId: home.communityId,
			quarter: '2027-Q1',
			status: 'draft'
		});
		await createBoard(temp.db, {
			communityId: other.communityId,
			quarter: '2026-Q4',
			status: 'published'
		});
		const story = (title: string, from: number, until: number | null) =>
			createStory(temp.db, {
				communityId: home.communityId,
				householdId: home.householdIds['1栋1单元101']!,
				title,
				text: '故事',
				publishFrom: new Date(now.getTime() + from * DAY_MS),
				publishUntil: until === null ? null : new Date(now.getTime() + until * DAY_MS)
			});
		await story('展示中的故事', -1, 1);
		await story('已结束的故事', -10, -1);
		await story('未开始的故事', 1, null);
	});
	afterAll(() => temp.dispose());

	it("lists the community's boards, marking the one on screen and counting expired entries", async () => {
		const overview = await displayOverview(temp.db, home.communityId, now);
		expect(overview.currentQuarter).toBe('2026-Q4');
		expect(overview.boards).toMatchObject([
			{ quarter: '2027-Q1', status: 'draft', showing: false, red: 0, black: 0 },
			{ quarter: '2026-Q4', status: 'published', showing: true, red: 1, black: 2, expired: 1 }
		]);
	});

	it('says for each story whether it is showing, has ended or has not started', async () => {
		const overview = await displayOverview(temp.db, home.communityId, now);
		expect(
			Object.fromEntries(overview.stories.map((story) => [story.title, story.status]))
		).toEqual({ 展示中的故事: 'showing', 已结束的故事: 'ended', 未开始的故事: 'scheduled' });
		expect(overview.playlistSaved).toBe(false);
	});

	it("shows nothing of another community's content", async () => {
		const overview = await displayOverview(temp.db, other.communityId, now);
		expect(overview.boards).toHaveLength(1);
		expect(overview.stories).toEqual([]);
	});
});
