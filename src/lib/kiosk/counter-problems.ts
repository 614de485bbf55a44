import type { Notice } from './notice';

/** Everything the counter may have to tell a resident, as stable codes (tests read them). */
export const COUNTER_PROBLEMS = [
	'not_enrolled',
	'unreadable',
	'foreign_community',
	'forged',
	'revoked',
	'moved_out',
	'unknown_resident',
	'community_loading',
	'staff_card',
	'not_enough_points',
	'out_of_stock',
	'offline_daily_limit',
	'offline_too_long',
	'redeem_failed'
] as const;
export type CounterProblem = (typeof COUNTER_PROBLEMS)[number];

/** The card reader this counter really has: a working camera, or only a USB scanner. */
export type CardReader = 'camera' | 'scanner';

export interface ProblemText extends Notice {
	/** Said instead of `detail` on a counter whose only reader is the USB scanner. */
	scannerDetail?: string;
	/** True when the problem ends the visit; otherwise the resident's cart stays open behind it. */
	endsVisit: boolean;
}

/** A problem's words for this counter: the reader it names is the one the counter has. */
export function problemText(problem: CounterProblem, reader: CardReader): ProblemText {
	const text = PROBLEM_TEXTS[problem];
	return reader === 'scanner' && text.scannerDetail
		? { ...text, detail: text.scannerDetail }
		: text;
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
		detail: '请把积分卡上的二维码放平，对准摄像头再试一次。',
		scannerDetail: '请把积分卡上的二维码放平，对准扫码枪再试一次。',
		icon: 'warning',
		endsVisit: false
	},
	foreign_community: {
		title: '这张卡不是本社区的有效卡',
		detail: '请使用本社区发放的积分卡，或联系工作人员。',
		icon: 'error',
		endsVisit: false
	},
	forged: {
		title: '这张卡无法使用',
		detail: '本机认不出这张卡，可能是卡被改动过或印错了。请到社区办公室换一张新卡。',
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
	community_loading: {
		title: '本机正在载入社区资料',
		detail: '载入完成后会自动读这张卡，请稍等。',
		icon: 'info',
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
		title: '离线时每天最多用这么多积分',
		detail:
			'本机现在没有联网，没联网时每人每天能用的积分有限，今天已经用到了。联网后就能继续兑换。',
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
