import type { CounterProblem } from './counter-problems';

/**
 * The moments at the counter that a resident who cannot read the screen well must hear about.
 * They carry numbers only: a resident's name is never part of a moment, so it can never be said
 * aloud in a shop.
 */
export type CounterMoment =
	| { kind: 'card_read'; balance: number }
	| { kind: 'redeemed'; newBalance: number }
	/** Another resident's card while a cart is open: the screen asks whether to switch. */
	| { kind: 'switch_asked' }
	/** `pointsShort`: for `not_enough_points` after a tap on an item, how many more it needs. */
	| { kind: 'problem'; problem: CounterProblem; pointsShort?: number };

/** Which chime stands in for the sentence where the device has no Chinese voice. */
export type PromptTone = 'good' | 'refused' | 'question';

export interface SpokenPrompt {
	text: string;
	tone: PromptTone;
}

/** A card that cannot be used for whatever reason: the details are on the screen and with staff. */
const CARD_REFUSED = '这张卡不能使用，请找工作人员';
const COUNTER_UNAVAILABLE = '本机暂时不能兑换，请找工作人员';

/**
 * Short, plain sentences, one per problem. A balance is said with 积分 (a bare 分 is also money's
 * smallest unit); only 还差 … 分 keeps the short word, right after 积分不够 and as the item card
 * prints it. Digits stay digits: a zh-CN voice reads 120 as 一百二十.
 */
const PROBLEM_SENTENCES: Record<CounterProblem, string | null> = {
	unreadable: '没有读到卡，请再扫一次',
	foreign_community: CARD_REFUSED,
	forged: CARD_REFUSED,
	revoked: CARD_REFUSED,
	moved_out: CARD_REFUSED,
	unknown_resident: CARD_REFUSED,
	not_enrolled: COUNTER_UNAVAILABLE,
	offline_too_long: COUNTER_UNAVAILABLE,
	not_enough_points: '积分不够',
	out_of_stock: '这件物品已经兑完了',
	offline_daily_limit: '本机没有联网，今天能用的积分已经用完了',
	redeem_failed: '兑换没有完成，没有扣积分，请再试一次',
	// Not a refusal: the card is read once the community has loaded, and greeted then.
	community_loading: null,
	// Staff know their own card; the screen tells them what to do.
	staff_card: null
};

/** The sentence for a counter moment, or null when there is nothing to say. */
export function spokenPrompt(moment: CounterMoment): SpokenPrompt | null {
	switch (moment.kind) {
		case 'card_read':
			return { text: `您好，您有 ${points(moment.balance)} 积分`, tone: 'good' };
		case 'redeemed':
			return { text: `兑换成功，还剩 ${points(moment.newBalance)} 积分`, tone: 'good' };
		case 'switch_asked':
			return { text: '还有没兑换完的物品，要换人吗', tone: 'question' };
		case 'problem': {
			const short = moment.pointsShort ?? 0;
			if (moment.problem === 'not_enough_points' && short > 0) {
				return { text: `积分不够，还差 ${points(short)} 分`, tone: 'refused' };
			}
			const text = PROBLEM_SENTENCES[moment.problem];
			return text === null ? null : { text, tone: 'refused' };
		}
	}
}

/** Whole points without thousands separators, which a voice would read out as a pause. */
function points(value: number): string {
	return String(Math.trunc(value));
}
