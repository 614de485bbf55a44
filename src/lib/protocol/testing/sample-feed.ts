/**
 * A complete, valid display feed for unit tests, the end-to-end specs that serve feeds through
 * `page.route`, and the bench. Names are already masked, as the server sends them.
 */
import type { DisplayFeed } from '$lib/protocol/display-feed';

export function sampleFeed(overrides: Partial<DisplayFeed> = {}): DisplayFeed {
	return {
		version: 'v-sample-1',
		generatedAt: '2026-11-22T01:30:00.000Z',
		community: { id: 1, name: '幸福里社区', timeZone: 'Asia/Shanghai' },
		playlist: {
			slides: [
				{ type: 'board-red', seconds: 15 },
				{ type: 'board-black', seconds: 12 },
				{ type: 'story', seconds: 20 },
				{ type: 'merchants', seconds: 12 },
				{ type: 'buildings', seconds: 12 },
				{ type: 'earn-rules', seconds: 15 },
				{ type: 'new-items', seconds: 12 }
			],
			dayParts: [{ from: '22:00', to: '06:00', mode: 'dim' }]
		},
		board: {
			quarter: '2026-Q4',
			title: '2026年第四季度红黑榜',
			red: [
				{ maskedName: '张*凤', building: '3栋', reason: '常年义务打扫楼道' },
				{ maskedName: '李*家', building: '5栋', reason: '照顾独居老人' },
				{ maskedName: '王*', building: '1栋', reason: '垃圾分类督导志愿者' }
			],
			black: [
				{ category: '不文明养犬', maskedName: '赵*强', building: '2栋' },
				{ category: '飞线充电', maskedName: '钱*', building: '7栋' }
			]
		},
		stories: [
			{
				id: 1,
				householdName: '3栋 李*家',
				title: '三代同堂，守望相助',
				text: '李家三代人二十年如一日照顾楼里的独居老人。',
				photoUrl: '/demo/stories/1.svg',
				link: 'https://example.org/stories/1'
			},
			{
				id: 2,
				householdName: '5栋 陈*家',
				title: '垃圾分类的带头人',
				text: '陈阿姨每天早上在分类点值守，教邻居们分类。',
				photoUrl: '/demo/stories/2.svg',
				link: null
			}
		],
		merchants: [
			{ id: 1, name: '老王便利店', stars: 5, note: '明码标价，童叟无欺' },
			{ id: 2, name: '小李理发', stars: 4, note: null }
		],
		buildings: [
			{ id: 1, name: '3栋', stars: 5, note: '楼道整洁' },
			{ id: 2, name: '5栋', stars: 3, note: null }
		],
		earnRules: [
			{ name: '打扫楼道', points: 10 },
			{ name: '参加志愿服务（每小时）', points: 20 },
			{ name: '垃圾分类一个月', points: 15 }
		],
		newItems: [
			{ id: 11, name: '东北大米 5kg', points: 120, imageUrl: '/demo/items/11.svg' },
			{ id: 12, name: '洗衣液', points: 60, imageUrl: null }
		],
		links: { board: 'https://example.org/board' },
		...overrides
	};
}
