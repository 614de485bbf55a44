import * as v from 'valibot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DisplayFeedSchema, type DisplayFeed } from '$lib/protocol/display-feed';
import { DEMO_RULES } from '../seed/demo-catalogue';
import { DEMO_PLAYLIST } from '../seed/demo-display';
import { seedDemo } from '../seed/demo';
import { createNamedCommunity, type NamedCommunity } from '../testing/display-fixtures';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { addBoardEntries, createBoard, createStory, savePlaylist } from './content';
import { buildDisplayFeed } from './feed';

const DAY_MS = 24 * 3600_000;

async function feedOf(
	db: TempDatabase['db'],
	communityId: number,
	now: Date
): Promise<DisplayFeed> {
	const feed = await buildDisplayFeed(db, communityId, now);
	if (!feed) throw new Error(`no feed for community ${communityId}`);
	// Whatever the server emits must pass the protocol's strict schema.
	return v.parse(DisplayFeedSchema, feed);
}

describe('display feed of the demo community', () => {
	let temp: TempDatabase;
	const now = new Date('2026-11-22T04:00:00Z');
	let feed: DisplayFeed;
	let foreignFeed: DisplayFeed;

	beforeAll(async () => {
		temp = await openTempDatabase();
		const summary = await seedDemo(temp.db, { now });
		feed = await feedOf(temp.db, summary.communityId, now);
		foreignFeed = await feedOf(temp.db, summary.foreignCommunityId, now);
	});
	afterAll(() => temp.dispose());

	it("shows the current quarter's published board without its expired entry", () => {
		expect(feed.board?.quarter).toBe('2026-Q4');
		expect(feed.board?.title).toBe('2026年第四季度红黑榜');
		expect(feed.board?.red).toHaveLength(16);
		expect(feed.board?.red[0]?.reason).toBe('楼道清扫志愿者');
		// Seven black entries were seeded; the last one has expired.
		expect(feed.board?.black.map((entry) => entry.category)).toEqual([
			'不文明养犬',
			'飞线充电',
			'高空抛物',
			'占用消防通道',
			'违规停车',
			'乱扔垃圾'
		]);
		for (const entry of [...feed.board!.red, ...feed.board!.black]) {
			expect(entry.building).toMatch(/^\d栋$/);
			expect(entry.maskedName).toMatch(/^\p{Script=Han}+\*(\p{Script=Han}|家)?$/u);
		}
		expect(feed.links.board).toBe('https://xingfuli.example.cn/honghei');
	});

	it('shows the six stories inside their window, each with a picture, one with a link', () => {
		expect(feed.stories).toHaveLength(6);
		expect(feed.stories.map((story) => story.title)).not.toContain('上个月的故事：义务修车摊');
		for (const story of feed.stories) {
			expect(story.photoUrl).toBe(`/demo/stories/${story.id}.svg`);
			expect(story.householdName).toMatch(/^\d栋 \p{Script=Han}\*家$/u);
		}
		expect(feed.stories.filter((story) => story.link !== null)).toHaveLength(1);
	});

	it('carries merchants and buildings with stars, earn rules, new items and the playlist', () => {
		expect(feed.merchants).toHaveLength(5);
		expect(feed.merchants[0]).toMatchObject({ name: '幸福里便民超市', stars: 5 });
		expect(feed.buildings.map((building) => building.name)).toEqual([
			'3栋',
			'1栋',
			'5栋',
			'2栋',
			'6栋',
			'4栋'
		]);
		expect(feed.earnRules).toEqual(
			DEMO_RULES.filter((rule) => rule.kind === 'earn').map(({ name, points }) => ({
				name,
				points
			}))
		);
		expect(feed.newItems).toHaveLength(6);
		for (const item of feed.newItems) expect(item.imageUrl).toBe(`/demo/items/${item.id}.svg`);
		expect(feed.playlist).toEqual(DEMO_PLAYLIST);
		expect(feed.community).toEqual({ id: 1, name: '幸福里社区', timeZone: 'Asia/Shanghai' });
	});

	it('never carries a raw name of anyone in the community', async () => {
		const residents = await temp.db.selectFrom('residents').select('name').execute();
		const json = JSON.stringify([feed, foreignFeed]);
		const leaked = residents
			.map((resident) => resident.name)
			.filter((name) => Array.from(name).length >= 2 && json.includes(name));
		expect(leaked).toEqual([]);
	});

	it("never shows one community's board or stories on another community's screen", () => {
		expect(foreignFeed.community.name).toBe('和平里社区');
		expect(foreignFeed.board?.red.map((entry) => entry.reason)).toEqual([
			'和平里助老志愿者',
			'和平里垃圾分类示范户'
		]);
		expect(foreignFeed.stories).toEqual([]);
		expect(foreignFeed.merchants.map((merchant) => merchant.name)).toEqual(['和平里粮油店']);
		expect(foreignFeed.earnRules).toEqual([]);
		expect(JSON.stringify(feed)).not.toContain('和平里');
		expect(JSON.stringify(foreignFeed)).not.toContain('幸福里');
	});

	it('answers null for a community that does not exist', async () => {
		expect(await buildDisplayFeed(temp.db, 999, now)).toBeNull();
	});
});

describe('display feed rules', () => {
	let temp: TempDatabase;
	let people: NamedCommunity;
	const now = new Date('2026-11-22T04:00:00Z');

	beforeEach(async () => {
		temp = await openTempDatabase();
		people = await createNamedCommunity(
			temp.db,
			'rules',
			{ '3栋2单元501': ['李建国', '王秀英'], '5栋1单元102': ['张三凤'], '6栋1单元101': [] },
			now
		);
	});
	afterEach(() => temp.dispose());

	const feed = (at: Date = now) => feedOf(temp.db, people.communityId, at);
	const newBoard = (quarter = '2026-Q4', status: 'published' | 'draft' = 'published') =>
		createBoard(temp.db, { communityId: people.communityId, quarter, status });

	it('masks residents as 张*凤 and households as 李*家, with the building on its own', async () => {
		const boardId = await newBoard();
		await addBoardEntries(temp.db, boardId, [
			{ list: 'red', reason: '楼道清扫志愿者', residentId: people.residentIds['张三凤']! },
			{ list: 'red', reason: '垃圾分类示范户', householdId: people.householdIds['3栋2单元501']! },
			{ list: 'black', category: '飞线充电', residentId: people.residentIds['王秀英']! },
			{ list: 'black', category: '高空抛物', householdId: people.householdIds['6栋1单元101']! }
		]);
		const { board } = await feed();
		expect(board?.red).toEqual([
			{ maskedName: '张*凤', building: '5栋', reason: '楼道清扫志愿者' },
			{ maskedName: '李*家', building: '3栋', reason: '垃圾分类示范户' }
		]);
		expect(board?.black).toEqual([
			{ category: '飞线充电', maskedName: '王*英', building: '3栋' },
			{ category: '高空抛物', maskedName: '某*家', building: '6栋' }
		]);
		const json = JSON.stringify(await feed());
		for (const raw of ['李建国', '建国', '王秀英', '秀英', '张三凤', '三凤', '3栋2单元501']) {
			expect(json).not.toContain(raw);
		}
	});

	it('leaves out an entry or story that points at a person of another community', async () => {
		const stranger = await createNamedCommunity(temp.db, 'stranger', { '1栋1单元101': ['孙悟空'] });
		const boardId = await newBoard();
		await addBoardEntries(temp.db, boardId, [
			{ list: 'red', reason: '别处的人', residentId: stranger.residentIds['孙悟空']! },
			{ list: 'red', reason: '别处的户', householdId: stranger.householdIds['1栋1单元101']! },
			{ list: 'red', reason: '本社区的人', residentId: people.residentIds['张三凤']! }
		]);
		await createStory(temp.db, {
			communityId: people.communityId,
			householdId: stranger.householdIds['1栋1单元101']!,
			title: '别处的故事',
			text: '不应出现',
			publishFrom: new Date(now.getTime() - DAY_MS)
		});
		const result = await feed();
		expect(result.board?.red.map((entry) => entry.reason)).toEqual(['本社区的人']);
		expect(result.stories).toEqual([]);
	});

	it('shows no board when the current quarter has only a draft', async () => {
		const boardId = await newBoard('2026-Q4', 'draft');
		await addBoardEntries(temp.db, boardId, [
			{ list: 'red', reason: '草稿', residentId: people.residentIds['张三凤']! }
		]);
		expect((await feed()).board).toBeNull();
		expect((await feed()).links.board).toBeNull();
	});

	it('turns to the next quarter at midnight in Asia/Shanghai, not at midnight UTC', async () => {
		for (const quarter of ['2026-Q4', '2027-Q1']) {
			const boardId = await newBoard(quarter);
			await addBoardEntries(temp.db, boardId, [
				{ list: 'red', reason: `${quarter} 红榜`, residentId: people.residentIds['张三凤']! }
			]);
		}
		const before = await feed(new Date('2026-12-31T15:59:59Z'));
		const after = await feed(new Date('2026-12-31T16:00:00Z'));
		expect(before.board?.quarter).toBe('2026-Q4');
		expect(after.board?.quarter).toBe('2027-Q1');
		expect(after.board?.red[0]?.reason).toBe('2027-Q1 红榜');
		expect(after.version).not.toBe(before.version);
	});

	it('leaves out a board entry from the moment it expires', async () => {
		const boardId = await newBoard();
		const expiresAt = new Date(now.getTime() + DAY_MS);
		await addBoardEntries(temp.db, boardId, [
			{
				list: 'black',
				category: '不文明养犬',
				residentId: people.residentIds['张三凤']!,
				expiresAt
			},
			{ list: 'black', category: '占用消防通道', residentId: people.residentIds['李建国']! }
		]);
		const categories = async (at: Date) =>
			(await feed(at)).board?.black.map((entry) => entry.category);
		expect(await categories(new Date(expiresAt.getTime() - 1))).toEqual([
			'不文明养犬',
			'占用消防通道'
		]);
		expect(await categories(expiresAt)).toEqual(['占用消防通道']);
	});

	it('shows a story from its first moment until, not including, its last', async () => {
		const publishFrom = new Date(now.getTime() + DAY_MS);
		const publishUntil = new Date(now.getTime() + 8 * DAY_MS);
		await createStory(temp.db, {
			communityId: people.communityId,
			householdId: people.householdIds['3栋2单元501']!,
			title: '一周的故事',
			text: '只展示一周。',
			publishFrom,
			publishUntil
		});
		const titles = async (at: Date) => (await feed(at)).stories.map((story) => story.title);
		expect(await titles(new Date(publishFrom.getTime() - 1))).toEqual([]);
		expect(await titles(publishFrom)).toEqual(['一周的故事']);
		expect(await titles(new Date(publishUntil.getTime() - 1))).toEqual(['一周的故事']);
		expect(await titles(publishUntil)).toEqual([]);
	});

	it('keeps its version while nothing changes, and changes it after an edit or when a story ends', async () => {
		const storyId = await createStory(temp.db, {
			communityId: people.communityId,
			householdId: people.householdIds['5栋1单元102']!,
			title: '原来的标题',
			text: '故事',
			publishFrom: new Date(now.getTime() - DAY_MS),
			publishUntil: new Date(now.getTime() + DAY_MS)
		});
		const first = await feed();
		const again = await feed(new Date(now.getTime() + 60_000));
		expect(again.generatedAt).not.toBe(first.generatedAt);
		expect(again.version).toBe(first.version);

		await temp.db
			.updateTable('display_stories')
			.set({ title: '改过的标题', updated_at: new Date().toISOString() })
			.where('id', '=', storyId)
			.execute();
		const edited = await feed();
		expect(edited.version).not.toBe(first.version);

		const ended = await feed(new Date(now.getTime() + DAY_MS));
		expect(ended.stories).toEqual([]);
		expect(ended.version).not.toBe(edited.version);
	});

	it('changes the version when the playlist changes', async () => {
		const first = await feed();
		await savePlaylist(temp.db, people.communityId, {
			slides: [{ type: 'board-red', seconds: 20 }],
			dayParts: [{ from: '22:00', to: '06:00', mode: 'dim' }]
		});
		const second = await feed();
		expect(second.playlist.slides).toEqual([{ type: 'board-red', seconds: 20 }]);
		expect(second.version).not.toBe(first.version);
	});

	it('sends a published board with no entries as empty lists', async () => {
		await newBoard();
		const { board } = await feed();
		expect(board).toMatchObject({ quarter: '2026-Q4', red: [], black: [] });
	});

	it('sends all 500 entries of a long board, in order (the display pages through them)', async () => {
		const boardId = await newBoard();
		await addBoardEntries(
			temp.db,
			boardId,
			Array.from({ length: 500 }, (_, index) =>
				index % 5 === 4
					? {
							list: 'black' as const,
							category: `类别${index}`,
							householdId: people.householdIds['5栋1单元102']!
						}
					: {
							list: 'red' as const,
							reason: `理由${index}`,
							residentId: people.residentIds['李建国']!
						}
			)
		);
		const { board } = await feed();
		expect(board?.red).toHaveLength(400);
		expect(board?.black).toHaveLength(100);
		expect(board?.red[399]?.reason).toBe('理由498');
		expect(board?.black[0]?.category).toBe('类别4');
	});

	it('passes HTML and script in texts through as plain data, unchanged', async () => {
		const script = '<script>alert("x")</script><img src=x onerror=alert(1)>';
		await createStory(temp.db, {
			communityId: people.communityId,
			householdId: people.householdIds['3栋2单元501']!,
			title: script,
			text: `开头 ${script} &amp; 结尾`,
			link: 'javascript:alert(1)',
			publishFrom: new Date(now.getTime() - DAY_MS)
		});
		const [story] = (await feed()).stories;
		expect(story?.title).toBe(script);
		expect(story?.text).toBe(`开头 ${script} &amp; 结尾`);
		// The office decides links; the display turns a link into a QR code, never into a jump.
		expect(story?.link).toBe('javascript:alert(1)');
	});

	it('stores and sends a story of 10,000 characters whole (the display clamps it)', async () => {
		const text = '好'.repeat(9_990) + '最后十个字到此结束。';
		await createStory(temp.db, {
			communityId: people.communityId,
			householdId: people.householdIds['3栋2单元501']!,
			title: '很长的故事',
			text,
			publishFrom: new Date(now.getTime() - DAY_MS)
		});
		const [story] = (await feed()).stories;
		expect(Array.from(story!.text)).toHaveLength(10_000);
		expect(story!.text).toBe(text);
	});

	it('lists only active earn rules and active items created in the last 30 days, newest first', async () => {
		const rule = (kind: 'earn' | 'penalty', name: string, points: number, active: 0 | 1) => ({
			community_id: people.communityId,
			kind,
			name,
			points,
			active,
			sort_order: 0
		});
		await temp.db
			.insertInto('point_rules')
			.values([
				rule('earn', '清扫楼道', 2, 1),
				rule('earn', '已停用的规则', 3, 0),
				rule('penalty', '高空抛物', -20, 1)
			])
			.execute();
		const item = (name: string, daysAgo: number, active: 0 | 1) => ({
			community_id: people.communityId,
			name,
			category: '粮油',
			kind: 'goods' as const,
			points: 10,
			stock_tracked: 1 as const,
			image_url: null,
			active,
			sort_order: 0,
			created_at: new Date(now.getTime() - daysAgo * DAY_MS).toISOString()
		});
		await temp.db
			.insertInto('items')
			.values([item('旧货', 31, 1), item('新米', 1, 1), item('新油', 0.5, 1), item('已下架', 1, 0)])
			.execute();
		const result = await feed();
		expect(result.earnRules).toEqual([{ name: '清扫楼道', points: 2 }]);
		expect(result.newItems.map((entry) => entry.name)).toEqual(['新油', '新米']);
	});
});
