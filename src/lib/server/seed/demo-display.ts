import type { Kysely } from 'kysely';
import { quarterOf } from '$lib/domain/quarter';
import { NIGHT_CALM_DAY_PARTS } from '$lib/domain/display-schedule';
import type { Playlist } from '$lib/protocol/display-feed';
import type { Database } from '../db/schema';
import {
	addBoardEntries,
	addStarredPlaces,
	createBoard,
	createStory,
	savePlaylist,
	type NewBoardEntry
} from '../display/content';
import type { DemoExtrasContext } from './demo';

const DAY_MS = 24 * 3600_000;

const RED_REASONS = [
	'楼道清扫志愿者',
	'垃圾分类示范户',
	'义务巡逻队员',
	'照看独居老人',
	'反诈宣传志愿者',
	'调解邻里纠纷',
	'无偿献血',
	'爱心助餐志愿者',
	'文明养犬示范户',
	'社区文艺骨干',
	'义务植树',
	'拾金不昧',
	'清理小广告',
	'楼道清扫志愿者',
	'垃圾分类示范户',
	'疫苗接种引导志愿者'
];

const BLACK_CATEGORIES = [
	'不文明养犬',
	'飞线充电',
	'高空抛物',
	'占用消防通道',
	'违规停车',
	'乱扔垃圾',
	'不文明养犬'
];

const STORIES: ReadonlyArray<{ title: string; text: string; link?: string }> = [
	{
		title: '二十年如一日，楼道干干净净',
		text: '退休后，老两口每天清早把单元楼道从六楼扫到一楼，扶手擦得发亮。邻居们说，走进这个单元就觉得心里亮堂。今年他们还带着楼里的孩子一起做“小小清洁员”。'
	},
	{
		title: '垃圾分类，从我家做起',
		text: '一家三口把厨余垃圾、可回收物分得清清楚楚，还做了分类小卡片贴在楼下，手把手教邻居。楼栋的分类准确率从六成提高到了九成以上。'
	},
	{
		title: '邻里守望，照顾独居老人',
		text: '对门的王奶奶独自生活，这家人每天敲门问一声好，帮忙买菜、取药、陪着去医院复查。三年来从没间断，老人说：“他们就像我的亲人。”'
	},
	{
		title: '书香家庭，楼道里的读书角',
		text: '他们把家里的四百多本书搬到一楼大厅，办起了“共享读书角”，每周六下午给孩子们讲故事。现在读书角的书已经有一千多本，全是邻居们捐的。'
	},
	{
		title: '阳台变花园，楼下添绿意',
		text: '这家人用旧盆旧桶种花种菜，还把多出来的花苗分给邻居，把楼前空地打理成了小花园。夏天傍晚，老人们最爱在花园边坐一坐、聊聊天。'
	},
	{
		title: '反诈宣传进家门',
		text: '儿子是社区民警，父母是反诈宣传志愿者。一家人挨家挨户讲解常见骗局，今年帮助三位老人识破了冒充客服的电话诈骗，守住了养老钱。扫码了解更多防骗知识。',
		link: 'https://xingfuli.example.cn/stories/fanzha'
	}
];

const MERCHANTS = [
	{ name: '幸福里便民超市', stars: 5, note: '明码标价，足斤足两' },
	{ name: '惠民菜店', stars: 5, note: '蔬菜新鲜，坏了包换' },
	{ name: '老王修鞋配钥匙', stars: 4, note: '老手艺，价钱公道' },
	{ name: '阳光理发店', stars: 4, note: '老人理发每周二半价' },
	{ name: '好邻居早餐店', stars: 3, note: null }
];

const BUILDINGS = [
	{ name: '3栋', stars: 5, note: '连续三个季度零投诉' },
	{ name: '1栋', stars: 5, note: '垃圾分类准确率第一' },
	{ name: '5栋', stars: 4, note: '楼道整洁，无飞线充电' },
	{ name: '2栋', stars: 4, note: null },
	{ name: '6栋', stars: 3, note: '消防通道已清理' },
	{ name: '4栋', stars: 3, note: null }
];

/**
 * 8–15 s per slide; the board and stories through the lobby's busy hours (06–08, 20–22), the
 * calm slide only at night (community time zone).
 */
export const DEMO_PLAYLIST: Playlist = {
	slides: [
		{ type: 'board-red', seconds: 15 },
		{ type: 'story', seconds: 12 },
		{ type: 'board-black', seconds: 10 },
		{ type: 'earn-rules', seconds: 12 },
		{ type: 'merchants', seconds: 10 },
		{ type: 'story', seconds: 12 },
		{ type: 'new-items', seconds: 10 },
		{ type: 'buildings', seconds: 8 }
	],
	dayParts: [...NIGHT_CALM_DAY_PARTS]
};

/** Households that have members, in id order, with the resident ids of each. */
async function householdsWithMembers(db: Kysely<Database>, residentIds: readonly number[]) {
	const rows = await db
		.selectFrom('residents')
		.select(['id', 'household_id'])
		.where('id', 'in', residentIds)
		.orderBy('household_id')
		.orderBy('id')
		.execute();
	const members = new Map<number, number[]>();
	for (const row of rows) {
		members.set(row.household_id, [...(members.get(row.household_id) ?? []), row.id]);
	}
	return [...members.entries()].map(([householdId, ids]) => ({ householdId, residentIds: ids }));
}

/** Honoured people and households spread over the community, one board entry each. */
function demoBoardEntries(
	households: Array<{ householdId: number; residentIds: number[] }>,
	now: Date
): NewBoardEntry[] {
	const pick = (index: number) => households[(index * 7 + 3) % households.length]!;
	const red: NewBoardEntry[] = RED_REASONS.map((reason, index) => {
		const household = pick(index);
		return index % 3 === 1
			? { list: 'red', reason, householdId: household.householdId }
			: { list: 'red', reason, residentId: household.residentIds[0]! };
	});
	const black: NewBoardEntry[] = BLACK_CATEGORIES.map((category, index) => {
		const household = pick(index + 40);
		return index % 2 === 0
			? { list: 'black', category, householdId: household.householdId }
			: { list: 'black', category, residentId: household.residentIds.at(-1)! };
	});
	// The last black entry has already expired: it stays in the office, not on the lobby screen.
	black[black.length - 1]!.expiresAt = new Date(now.getTime() - 3 * DAY_MS);
	return [...red, ...black];
}

/**
 * Demo data for the lobby display: the current quarter's published board (and last quarter's,
 * and a draft for the next one, neither of which the lobby shows), six 最美信用户 stories with
 * generated pictures (one more that has ended and one not yet started), merchants, buildings and
 * a playlist; and a small board for the foreign community. Runs inside the demo seed's transaction.
 */
export async function seedDemoDisplay(
	db: Kysely<Database>,
	context: DemoExtrasContext
): Promise<void> {
	const { communityId, foreignCommunityId, now } = context;
	const quarter = quarterOf(now, 'Asia/Shanghai');
	const households = await householdsWithMembers(db, context.residentIds);

	const boardId = await createBoard(
		db,
		{ communityId, quarter, status: 'published', link: 'https://xingfuli.example.cn/honghei' },
		now
	);
	await addBoardEntries(db, boardId, demoBoardEntries(households, now), now);
	const lastQuarter = quarterOf(now.getTime() - 95 * DAY_MS, 'Asia/Shanghai');
	const lastBoardId = await createBoard(
		db,
		{ communityId, quarter: lastQuarter, status: 'published' },
		now
	);
	await addBoardEntries(
		db,
		lastBoardId,
		[{ list: 'red', reason: '上季度楼道清扫志愿者', householdId: households[0]!.householdId }],
		now
	);
	const nextQuarter = quarterOf(now.getTime() + 95 * DAY_MS, 'Asia/Shanghai');
	await createBoard(db, { communityId, quarter: nextQuarter, status: 'draft' }, now);

	for (const [index, story] of STORIES.entries()) {
		await createStory(
			db,
			{
				communityId,
				householdId: households[(index * 11 + 5) % households.length]!.householdId,
				...story,
				publishFrom: new Date(now.getTime() - (index + 2) * DAY_MS),
				publishUntil: new Date(now.getTime() + 60 * DAY_MS),
				sortOrder: index
			},
			now
		);
	}
	// Two stories the lobby does not show (yet): one has ended, one starts next week.
	const offScreen = [
		{
			title: '上个月的故事：义务修车摊',
			text: '这个故事的展示期已经结束。',
			from: -60,
			until: -20
		},
		{
			title: '下周的故事：三代同堂的志愿之家',
			text: '这个故事下周才开始展示。',
			from: 7,
			until: null
		}
	];
	for (const [index, story] of offScreen.entries()) {
		const day = (offset: number) => new Date(now.getTime() + offset * DAY_MS);
		await createStory(
			db,
			{
				communityId,
				householdId: households[index + 1]!.householdId,
				title: story.title,
				text: story.text,
				publishFrom: day(story.from),
				publishUntil: story.until === null ? null : day(story.until)
			},
			now
		);
	}

	await addStarredPlaces(db, 'display_trusted_merchants', communityId, MERCHANTS, now);
	await addStarredPlaces(db, 'display_trusted_buildings', communityId, BUILDINGS, now);
	await savePlaylist(db, communityId, DEMO_PLAYLIST, now);

	const foreignHouseholds = await householdsWithMembers(db, context.foreignResidentIds);
	const foreignBoardId = await createBoard(
		db,
		{ communityId: foreignCommunityId, quarter, status: 'published' },
		now
	);
	await addBoardEntries(
		db,
		foreignBoardId,
		[
			{
				list: 'red',
				reason: '和平里助老志愿者',
				residentId: foreignHouseholds[0]!.residentIds[0]!
			},
			{
				list: 'red',
				reason: '和平里垃圾分类示范户',
				householdId: foreignHouseholds[1]!.householdId
			},
			{
				list: 'black',
				category: '和平里违规停车',
				residentId: foreignHouseholds[2]!.residentIds[0]!
			}
		],
		now
	);
	await addStarredPlaces(
		db,
		'display_trusted_merchants',
		foreignCommunityId,
		[{ name: '和平里粮油店', stars: 4 }],
		now
	);
}
