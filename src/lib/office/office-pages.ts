/*
 * The office's pages and who may open them: the one list both the menu (which shows a role only
 * what it may open) and the server's guards (which refuse everyone else) read.
 */

export const OFFICE_ROLES = ['admin', 'gridWorker', 'shopkeeper'] as const;
export type OfficeRole = (typeof OFFICE_ROLES)[number];

export interface OfficePage {
	href: string;
	label: string;
	/** One line for the office home page. */
	description: string;
	roles: readonly OfficeRole[];
}

const ADMIN: readonly OfficeRole[] = ['admin'];
const RECORDERS: readonly OfficeRole[] = ['admin', 'gridWorker'];

export const OFFICE_PAGES = {
	points: {
		href: '/admin/points',
		label: '录入积分',
		description: '给一位居民或一次活动的很多居民记积分、扣分',
		roles: RECORDERS
	},
	review: {
		href: '/admin/points/review',
		label: '积分审核',
		description: '网格员录入的积分，审核通过后才能使用',
		roles: RECORDERS
	},
	// Only a 管理员: judging a flag means looking at the resident's balance, cards and whether
	// he moved out (cards are admin-only), and the 店员 already sees his kiosk's flags in shop mode.
	flags: {
		href: '/admin/flags',
		label: '待核查',
		description: '柜台已兑换、但超支、用了挂失的卡或居民已迁出的记录，核查后标记处理',
		roles: ADMIN
	},
	residents: {
		href: '/admin/residents',
		label: '居民',
		description: '住户和居民：查找、新增、迁出、导入导出表格、积分记录',
		roles: RECORDERS
	},
	cards: {
		href: '/admin/cards',
		label: '积分卡',
		description: '发卡、打印积分卡、挂失补卡',
		roles: ADMIN
	},
	rules: {
		href: '/admin/rules',
		label: '积分清单',
		description: '积分清单（加分）和负面清单（扣分）的项目',
		roles: ADMIN
	},
	items: {
		href: '/admin/items',
		label: '商品服务',
		description: '可兑换的商品和服务、积分价格、图片、库存',
		roles: ADMIN
	},
	accounts: {
		href: '/admin/accounts',
		label: '账号',
		description: '办公室账号、网格员、店员的密码、店员卡和 PIN',
		roles: ADMIN
	},
	devices: {
		href: '/admin/devices',
		label: '设备',
		description: '柜台终端和大堂屏幕：生成登记码、查看和停用设备',
		roles: ADMIN
	},
	display: {
		href: '/admin/display',
		label: '大堂屏幕',
		description: '红黑榜、信用故事、诚信商户和楼栋、播放顺序',
		roles: ADMIN
	},
	dayReports: {
		href: '/admin/day-reports',
		label: '日结报表',
		description: '各台柜台终端每天的日结报表',
		roles: ['admin', 'shopkeeper']
	},
	audit: {
		href: '/admin/audit',
		label: '操作记录',
		description: '谁在什么时候改了什么',
		roles: ADMIN
	}
} as const satisfies Record<string, OfficePage>;

export type OfficePageKey = keyof typeof OFFICE_PAGES;

/** The pages a role may open, in menu order. */
export function officeMenu(role: OfficeRole): OfficePage[] {
	return Object.values(OFFICE_PAGES).filter((page) =>
		(page.roles as readonly OfficeRole[]).includes(role)
	);
}
