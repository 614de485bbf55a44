import type { StatusIconKind } from '$lib/components/ui/StatusIcon.svelte';

/** Everything the counter may have to tell a resident, as stable codes (tests read them). */
export const COUNTER_PROBLEMS = [
	'not_enrolled',
	'unreadable',
	'foreign_community',
	'forged',
	'revoked',
	'moved_out',
	'unknown_resident',
	'staff_card',
	'not_enough_points',
	'out_of_stock',
	'offline_daily_limit',
	'offline_too_long',
	'redeem_failed'
] as const;
export type CounterProblem = (typeof COUNTER_PROBLEMS)[number];

export interface ProblemText {
	title: string;
	detail: string;
	icon: StatusIconKind;
	/** True when the problem ends the visit; otherwise the resident's cart stays open behind it. */
	endsVisit: boolean;
}

/** Large, plain Chinese for an elderly resident: what happened, then what to do. */
export const PROBLEM_TEXTS: Record<CounterProblem, ProblemText> = {
	not_enrolled: {
		title: '本机还没有登记',
		detail: '请工作人员先完成本机登记，才能兑换。',
		icon: 'blocked',
		endsVisit: true
	},
	unreadable: {
		title: '无法识别这个二维码',
		detail: '请把信用卡二维码放平，对准摄像头再试一次。',
		icon: 'warning',
		endsVisit: false
	},
	foreign_community: {
		title: '这张卡不是本社区的有效卡',
		detail: '请使用本社区发放的信用卡，或联系工作人员。',
		icon: 'error',
		endsVisit: false
	},
	forged: {
		title: '卡片校验失败',
		detail: '这张卡无法通过校验，请联系工作人员。',
		icon: 'error',
		endsVisit: false
	},
	revoked: {
		title: '此卡已挂失',
		detail: '这张卡已经停用，请到社区办公室补办新卡。',
		icon: 'blocked',
		endsVisit: false
	},
	moved_out: {
		title: '这位居民已迁出',
		detail: '迁出本社区的居民，积分卡不能再兑换。如有疑问，请到社区办公室。',
		icon: 'blocked',
		endsVisit: false
	},
	unknown_resident: {
		title: '查不到这位居民',
		detail: '本机还没有这位居民的资料，请联系工作人员。',
		icon: 'warning',
		endsVisit: false
	},
	staff_card: {
		title: '这是店员卡',
		detail: '请先点“退出”结束这位居民的兑换，再扫店员卡进入店员模式。',
		icon: 'info',
		endsVisit: false
	},
	not_enough_points: {
		title: '积分不足',
		detail: '您的积分不够兑换这件物品，可以换一件或少选几件。',
		icon: 'warning',
		endsVisit: false
	},
	out_of_stock: {
		title: '已兑完',
		detail: '这件物品暂时没有库存了，请选择其他物品。',
		icon: 'warning',
		endsVisit: false
	},
	offline_daily_limit: {
		title: '已达离线时每日兑换上限',
		detail: '本机现在没有联网，今天的离线兑换额度已用完。联网后即可继续。',
		icon: 'blocked',
		endsVisit: false
	},
	offline_too_long: {
		title: '太久未联网，请联系工作人员',
		detail: '本机很久没有和服务器同步，暂时不能兑换。',
		icon: 'blocked',
		endsVisit: true
	},
	redeem_failed: {
		title: '兑换没有完成',
		detail: '没有扣除积分。请再试一次，或联系工作人员。',
		icon: 'error',
		endsVisit: false
	}
};
