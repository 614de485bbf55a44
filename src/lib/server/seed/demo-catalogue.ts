import type { ItemKind, PointRuleKind } from '../db/schema';

/** The demo community's points list (积分清单) and negative list (负面清单). */
export interface DemoRule {
	kind: PointRuleKind;
	name: string;
	/** How the office groups the list. */
	category: string;
	/** Signed. */
	points: number;
	/** How often the history uses it, relative to the others of its kind. */
	weight: number;
}

export const DEMO_RULES: readonly DemoRule[] = [
	{ kind: 'earn', name: '清扫楼道', category: '环境卫生', points: 2, weight: 30 },
	{ kind: 'earn', name: '垃圾分类', category: '环境卫生', points: 1, weight: 40 },
	{ kind: 'earn', name: '志愿巡逻', category: '平安建设', points: 5, weight: 12 },
	{ kind: 'earn', name: '参加反诈宣传', category: '平安建设', points: 3, weight: 12 },
	{ kind: 'earn', name: '照看独居老人', category: '邻里互助', points: 5, weight: 8 },
	{ kind: 'earn', name: '清理小广告', category: '环境卫生', points: 2, weight: 10 },
	{ kind: 'earn', name: '调解邻里纠纷', category: '邻里互助', points: 5, weight: 4 },
	{ kind: 'earn', name: '参加社区文艺活动', category: '文明创建', points: 2, weight: 10 },
	{ kind: 'earn', name: '义务植树', category: '环境卫生', points: 3, weight: 5 },
	{ kind: 'earn', name: '无偿献血', category: '志愿服务', points: 20, weight: 1 },
	{ kind: 'penalty', name: '不文明养犬', category: '文明养犬', points: -5, weight: 10 },
	{ kind: 'penalty', name: '楼道飞线充电', category: '消防安全', points: -10, weight: 6 },
	{ kind: 'penalty', name: '违规停车', category: '交通秩序', points: -3, weight: 12 },
	{ kind: 'penalty', name: '乱扔垃圾', category: '环境卫生', points: -2, weight: 12 },
	{ kind: 'penalty', name: '占用消防通道', category: '消防安全', points: -10, weight: 3 },
	{ kind: 'penalty', name: '噪音扰民', category: '邻里秩序', points: -3, weight: 5 },
	{ kind: 'penalty', name: '私搭乱建', category: '违规建设', points: -15, weight: 1 },
	{ kind: 'penalty', name: '高空抛物', category: '安全隐患', points: -20, weight: 1 }
];

export interface DemoItem {
	name: string;
	category: string;
	kind: ItemKind;
	points: number;
	/** Opening stock for goods; null for services and courses (not stock-tracked). */
	openingStock: number | null;
}

/** The last few items came a few days ago (the lobby shows them as new); the rest, months ago. */
export const DEMO_NEW_ITEMS = 6;

const goods = (category: string, name: string, points: number, openingStock: number): DemoItem => ({
	name,
	category,
	kind: 'goods',
	points,
	openingStock
});

export const DEMO_ITEMS: readonly DemoItem[] = [
	goods('粮油', '东北大米 5kg', 80, 40),
	goods('粮油', '花生油 1.8L', 90, 25),
	goods('粮油', '挂面 1kg', 15, 60),
	goods('粮油', '面粉 2.5kg', 35, 30),
	goods('粮油', '小米 1kg', 25, 0),
	goods('粮油', '酱油 500ml', 12, 50),
	goods('粮油', '精制食盐', 5, 80),
	goods('日用品', '卷纸 10卷', 30, 45),
	goods('日用品', '牙膏', 15, 40),
	goods('日用品', '毛巾', 12, 35),
	goods('日用品', '香皂', 6, 60),
	goods('日用品', '保温杯', 60, 2),
	goods('日用品', '雨伞', 45, 0),
	goods('日用品', '电饭煲', 200, 0),
	goods('日用品', '针线包', 5, 30),
	goods('清洁用品', '洗衣液 2kg', 35, 40),
	goods('清洁用品', '洗洁精', 12, 50),
	goods('清洁用品', '洗衣皂', 6, 60),
	goods('清洁用品', '84消毒液', 15, 30),
	goods('清洁用品', '垃圾袋', 8, 70),
	goods('清洁用品', '拖把', 40, 12),
	{ name: '理发一次', category: '服务', kind: 'service', points: 20, openingStock: null },
	{ name: '家电清洗', category: '服务', kind: 'service', points: 50, openingStock: null },
	{ name: '上门理疗一次', category: '服务', kind: 'service', points: 60, openingStock: null },
	{ name: '活动室使用 2 小时', category: '服务', kind: 'service', points: 10, openingStock: null },
	{ name: '修鞋配钥匙', category: '服务', kind: 'service', points: 8, openingStock: null },
	{ name: '智能手机课', category: '课程', kind: 'course', points: 30, openingStock: null },
	{ name: '书法课', category: '课程', kind: 'course', points: 40, openingStock: null },
	{ name: '太极拳课', category: '课程', kind: 'course', points: 30, openingStock: null },
	{ name: '手工编织课', category: '课程', kind: 'course', points: 35, openingStock: null }
];

/** Colours of the generated item pictures, by category. */
export const CATEGORY_COLOURS: Record<string, string> = {
	粮油: '#c2410c',
	日用品: '#0369a1',
	清洁用品: '#047857',
	服务: '#7c3aed',
	课程: '#b45309'
};
