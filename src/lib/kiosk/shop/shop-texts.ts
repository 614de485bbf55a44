import { dateTimeText, recentTimeText } from '$lib/domain/zoned-time';
import type { StatusIconKind } from '$lib/components/ui/status-icon-kind';
import type { Notice } from '../notice';
import type { RejectReason } from '$lib/protocol/errors';
import type { ReviewFlagKind } from '$lib/protocol/review-flags';
import type { LossReason, ShopWriteProblem, StaffCardProblem } from './shop-port';

/** A message shop mode puts in front of the shopkeeper: what happened, then what to do. */
export interface ShopNotice extends Notice {
	/** Stable code, in `data-notice` for the tests. */
	code: string;
}

export const STAFF_CARD_NOTICES: Record<StaffCardProblem, ShopNotice> = {
	not_enrolled: {
		code: 'not_enrolled',
		title: '本机还没有登记',
		detail: '请先完成本机登记，再进入店员模式。',
		icon: 'blocked'
	},
	unreadable: {
		code: 'unreadable',
		title: '无法识别这张卡',
		detail: '请把店员卡的二维码放平，对准摄像头或扫码枪再试一次。',
		icon: 'warning'
	},
	forged: {
		code: 'forged',
		title: '卡片校验失败',
		detail: '这张卡无法通过校验，不能进入店员模式。请联系社区办公室。',
		icon: 'error'
	},
	foreign: {
		code: 'foreign',
		title: '这是其他社区的店员卡',
		detail: '只能用本社区发放的店员卡进入店员模式。',
		icon: 'error'
	},
	revoked: {
		code: 'revoked',
		title: '这张店员卡已停用',
		detail: '请到社区办公室换一张新卡。',
		icon: 'blocked'
	},
	unknown: {
		code: 'unknown',
		title: '本机还没有这位店员的资料',
		detail: '请联网同步一次后再试，或联系社区办公室。',
		icon: 'warning'
	},
	not_staff: {
		code: 'not_staff',
		title: '居民积分卡不能进入店员模式',
		detail: '请扫描店员卡。居民兑换请先退出店员模式。',
		icon: 'blocked'
	},
	inactive: {
		code: 'inactive',
		title: '这位店员暂时不能进入店员模式',
		detail: '店员已停用或还没有设置密码，请联系社区办公室。',
		icon: 'blocked'
	}
};

function notice(
	code: string,
	title: string,
	detail: string,
	icon: StatusIconKind = 'warning'
): ShopNotice {
	return { code, title, detail, icon };
}

export const SHOP_WRITE_NOTICES: Record<ShopWriteProblem, ShopNotice> = {
	not_enrolled: notice('not_enrolled', '本机还没有登记', '请先完成本机登记。', 'blocked'),
	unknown_staff: notice(
		'unknown_staff',
		'这位店员已停用',
		'请退出店员模式，换一位店员再试，或联系社区办公室。',
		'blocked'
	),
	invalid_quantity: notice('invalid_quantity', '数量不对', '数量必须是 1 到 100000 之间的整数。'),
	no_lines: notice('no_lines', '还没有选物品', '请先点物品，输入数量。'),
	too_many_lines: notice('too_many_lines', '一次入库的物品太多', '请分成几次入库。'),
	duplicate_item: notice('duplicate_item', '同一物品出现了两次', '请把数量合在一行里。'),
	unknown_item: notice(
		'unknown_item',
		'找不到这件物品',
		'本机的物品资料可能过时了，请联网同步后再试。'
	),
	not_stock_tracked: notice(
		'not_stock_tracked',
		'这件物品不管库存',
		'服务和课程没有库存，不用入库或报损。'
	),
	invalid_reason: notice('invalid_reason', '请选择原因', '请选择损坏、过期、丢失或其他。'),
	note_too_long: notice('note_too_long', '备注太长了', '备注最多 200 个字。'),
	unknown_redemption: notice('unknown_redemption', '找不到这笔兑换', '请返回重新选择。'),
	rejected_redemption: notice(
		'rejected_redemption',
		'这笔兑换服务器没有接受',
		'积分没有扣，不用撤销。请在首页查看原因。',
		'info'
	),
	already_voided: notice(
		'already_voided',
		'这笔兑换已经撤销过了',
		'同一笔兑换只能撤销一次，积分和库存已经退回。',
		'info'
	),
	not_same_day: notice(
		'not_same_day',
		'只能撤销当天的兑换',
		'这笔兑换不属于今天的营业日（或今天已日结），请联系社区办公室处理。',
		'blocked'
	),
	needs_reason: notice(
		'needs_reason',
		'有差异的物品要填写原因',
		'请为每个标红的物品点“选择原因”。'
	),
	already_closed: notice(
		'already_closed',
		'今天已经日结过了',
		'同一营业日只能日结一次。可以在“日结报表”里查看和打印。',
		'info'
	),
	needs_approver: notice('needs_approver', '差异较大，需要店长确认', '请店长扫店长卡并输入密码。'),
	unknown_approver: notice(
		'unknown_approver',
		'确认人不能是自己',
		'需要另一位在职的店长扫卡并输入密码。'
	),
	changed_since_opened: notice(
		'changed_since_opened',
		'盘点期间有新的兑换或入库',
		'应有数量变了，请重新清点标出的物品。'
	)
};

/** Why the server refused an event, in the shopkeeper's words. */
const REJECT_REASON_TEXTS: Partial<Record<RejectReason, string>> = {
	invalid_event: '记录格式不对',
	unknown_type: '服务器不认识这种记录，请升级本机',
	wrong_device: '记录不属于本机',
	id_conflict: '记录编号冲突',
	unknown_resident: '服务器上没有这位居民',
	unknown_card: '这张卡在服务器上已停用',
	forged_card: '积分卡签名不对（可能是伪造或损坏的卡），积分没有扣',
	card_mismatch: '扫描的积分卡不是这位居民的，积分没有扣',
	unknown_item: '服务器上没有这件物品',
	bad_total: '积分合计不对',
	unknown_staff: '服务器上没有这位店员，或已停用',
	not_stock_tracked: '这件物品不管库存',
	unknown_redemption: '服务器上找不到要撤销的兑换',
	already_voided: '这笔兑换已经撤销过了',
	not_same_day: '只能撤销同一营业日的兑换',
	already_closed: '这一天已经日结过了'
};

export function rejectReasonText(reason: RejectReason, serverMessage: string): string {
	return REJECT_REASON_TEXTS[reason] ?? serverMessage;
}

/** Why the server flagged a redemption for the office, one plain phrase a kind. */
export const REVIEW_FLAG_TEXTS: Record<ReviewFlagKind, string> = {
	overdrawn: '兑换超支',
	revoked_card: '用挂失的卡兑换',
	moved_out: '已迁出的居民兑换'
};

/**
 * The heading of a flagged redemption on the shop's home screen: each kind the server named, or
 * a plain 需复核 when it named none (a server before review-flag kinds, or an older record).
 */
export function flaggedRedemptionTitle(flags: readonly ReviewFlagKind[] | undefined): string {
	if (!flags || flags.length === 0) return '兑换需复核';
	return flags.map((kind) => REVIEW_FLAG_TEXTS[kind]).join('，');
}

export const LOSS_REASONS: readonly { id: LossReason; label: string }[] = [
	{ id: 'damaged', label: '损坏' },
	{ id: 'expired', label: '过期' },
	{ id: 'lost', label: '丢失' },
	{ id: 'other', label: '其他' }
];

/** "14:05" today, "11月21日 14:05" on another day, on the community's clock. */
export function formatTime(iso: string, timeZone: string, now: number = Date.now()): string {
	const at = Date.parse(iso);
	return Number.isNaN(at) ? '' : recentTimeText(at, now, timeZone);
}

/** Why a redemption is voided, most common first; any other can be typed. */
export const VOID_REASONS: readonly string[] = ['拿错物品', '数量点错', '居民不要了', '刷错了卡'];

/** "2026-11-22 18:05" on the community's clock. */
export function formatDateTime(iso: string, timeZone: string): string {
	const at = Date.parse(iso);
	return Number.isNaN(at) ? iso : dateTimeText(at, timeZone);
}

/** What a saved write says, and the refusals the screens' intents can meet before writing. */
export const SHOP_DONE_NOTICES = {
	received: (kinds: number, pieces: number) =>
		notice(
			'received',
			'入库已保存',
			`${kinds} 种物品，共 ${pieces} 件。联网后自动上传。`,
			'success'
		),
	lossRecorded: (itemName: string, quantity: number, reason: LossReason) =>
		notice(
			'loss_recorded',
			'报损已保存',
			`${itemName} ${quantity} 件，原因：${LOSS_REASONS.find((r) => r.id === reason)?.label}。`,
			'success'
		),
	voided: notice(
		'voided',
		'已撤销',
		'积分已退回给居民，物品已回到库存。原来的兑换记录保留，标为“已撤销”。',
		'success'
	),
	nothingToLose: (itemName: string) =>
		notice(
			'nothing_to_lose',
			`${itemName}账上没有库存`,
			'没有可以报损的数量。如果货架上其实有，请在“盘点日结”时输入实盘数量。'
		),
	uncounted: (count: number, firstName: string | undefined) =>
		notice(
			'uncounted',
			`还有 ${count} 项没有清点`,
			`请逐项输入实盘数量，或点“数量一致”。第一项：${firstName}。`
		),
	changedSinceOpened: (changed: readonly { name: string; expected: number }[]) =>
		notice(
			'changed_since_opened',
			'盘点期间有新的兑换或库存变动',
			`这些物品的应有数量变了，请重新清点：${changed.map((line) => `${line.name}（现应有 ${line.expected}）`).join('，')}。`
		)
};
