import * as v from 'valibot';
import { REJECT_REASONS } from './errors';
import { MAX_PUSH_EVENTS } from './limits';
import { IsoTimeSchema } from './events';
import { REVIEW_FLAG_KINDS } from './review-flags';

/** The body of `POST /api/sync/push`. Events are checked one by one on the server. */
export const PushRequestSchema = v.object({
	events: v.pipe(v.array(v.unknown()), v.minLength(1), v.maxLength(MAX_PUSH_EVENTS)),
	/** The device's clock when it sent the batch; the server compares it with its own. */
	sentAt: IsoTimeSchema
});
export type PushRequest = v.InferOutput<typeof PushRequestSchema>;

export const PushResultSchema = v.variant('status', [
	v.object({
		id: v.string(),
		status: v.picklist(['applied', 'duplicate']),
		/** The change-feed sequence number that carries the effect of this event. */
		seq: v.number(),
		/** True when the server applied a redemption but flagged it for the office to review. */
		flagged: v.optional(v.boolean()),
		/** Why it was flagged (absent from servers before 0011_flags: then read it as unknown). */
		flags: v.optional(v.array(v.picklist(REVIEW_FLAG_KINDS)))
	}),
	v.object({
		id: v.string(),
		status: v.literal('rejected'),
		reason: v.picklist(REJECT_REASONS),
		message: v.string()
	})
]);
export type PushResult = v.InferOutput<typeof PushResultSchema>;

export const PushResponseSchema = v.object({
	results: v.array(PushResultSchema),
	serverTime: IsoTimeSchema,
	/** Device clock minus server clock, in milliseconds. */
	clockSkewMs: v.number()
});
export type PushResponse = v.InferOutput<typeof PushResponseSchema>;

/** An act on the points list, as the counter shows it to a resident short of points. */
export const EarnRuleSummarySchema = v.object({ name: v.string(), points: v.number() });
export type EarnRuleSummary = v.InferOutput<typeof EarnRuleSummarySchema>;

/** How many of the points list's first rules a kiosk is sent (the lobby TV shows the same order). */
export const KIOSK_EARN_RULES = 5;

/** What a kiosk keeps of the community. */
export const CommunityChangeSchema = v.object({
	id: v.number(),
	name: v.string(),
	timeZone: v.string(),
	/** Raw Ed25519 public key, base64url. */
	publicKey: v.string(),
	/** Points one resident may spend per business day while the kiosk is offline. */
	offlineDailyLimit: v.number(),
	/** Hours since the last successful pull after which the kiosk refuses redemptions. */
	offlineMaxAgeHours: v.number(),
	/**
	 * A count difference larger than this (units of one item) needs a second staff PIN at the
	 * closing.
	 */
	countDifferenceLimit: v.number(),
	/** The first active earn rules (积分清单); absent from servers before the counter showed them. */
	earnRules: v.optional(v.array(EarnRuleSummarySchema))
});
export type CommunitySnapshot = v.InferOutput<typeof CommunityChangeSchema>;

/** What a kiosk keeps of a resident: only what the counter needs (data minimisation). */
export const ResidentChangeSchema = v.object({
	id: v.number(),
	maskedName: v.string(),
	household: v.string(),
	building: v.string(),
	balance: v.number(),
	activeSerials: v.array(v.number()),
	revokedSerials: v.array(v.number()),
	/**
	 * False once the resident moved out: the kiosk refuses their cards. Optional so that a kiosk
	 * and a server of different versions still understand each other (absent means living here).
	 */
	active: v.optional(v.boolean())
});
export type ResidentSnapshot = v.InferOutput<typeof ResidentChangeSchema>;

export const ITEM_KINDS = ['goods', 'service', 'course'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const ItemChangeSchema = v.object({
	id: v.number(),
	name: v.string(),
	category: v.string(),
	kind: v.picklist(ITEM_KINDS),
	points: v.number(),
	/** Goods are stock-tracked; services and courses are not. */
	stockTracked: v.boolean(),
	stock: v.number(),
	imageUrl: v.nullable(v.string()),
	active: v.boolean(),
	sortOrder: v.number()
});
export type ItemSnapshot = v.InferOutput<typeof ItemChangeSchema>;

export const STAFF_ROLES = ['shopkeeper', 'manager'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A slow PIN hash the kiosk checks offline (domain/pin.ts). */
export const PinHashSchema = v.object({
	algorithm: v.literal('PBKDF2-SHA-256'),
	iterations: v.pipe(v.number(), v.integer(), v.minValue(1)),
	/** base64url */
	salt: v.string(),
	/** base64url, 32 bytes */
	hash: v.string()
});
export type PinHash = v.InferOutput<typeof PinHashSchema>;

/**
 * A staff member who may open shop mode on the kiosk. Staff are not residents: their own name is
 * shown. `active: false` (or no PIN) keeps the card out of shop mode.
 */
export const StaffChangeSchema = v.object({
	id: v.number(),
	name: v.string(),
	role: v.picklist(STAFF_ROLES),
	active: v.boolean(),
	pin: v.nullable(PinHashSchema),
	activeSerials: v.array(v.number()),
	revokedSerials: v.array(v.number()),
	/**
	 * How often the office unlocked this card's PIN (账号 › 解锁). A kiosk whose lock-out was made
	 * before the count went up forgets it. Absent from servers before 0007_cards: read as 0.
	 */
	pinUnlocks: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)))
});
export type StaffSnapshot = v.InferOutput<typeof StaffChangeSchema>;

export const ChangeSchema = v.variant('entity', [
	v.object({ seq: v.number(), entity: v.literal('community'), data: CommunityChangeSchema }),
	v.object({ seq: v.number(), entity: v.literal('resident'), data: ResidentChangeSchema }),
	v.object({ seq: v.number(), entity: v.literal('item'), data: ItemChangeSchema }),
	v.object({ seq: v.number(), entity: v.literal('staff'), data: StaffChangeSchema })
]);
export type Change = v.InferOutput<typeof ChangeSchema>;

/** `GET /api/sync/pull?after=CURSOR&limit=N` answers one page of changes. */
export const PullResponseSchema = v.object({
	changes: v.array(ChangeSchema),
	/** The cursor to ask from next; store it in the same transaction as the page. */
	cursor: v.number(),
	hasMore: v.boolean(),
	serverTime: IsoTimeSchema,
	/**
	 * The name the office gives the asking device now (设备 › 改名), so the reports a kiosk prints
	 * carry it. Absent from servers before device renaming.
	 */
	deviceName: v.optional(v.pipe(v.string(), v.maxLength(60)))
});
export type PullResponse = v.InferOutput<typeof PullResponseSchema>;

export const PullQuerySchema = v.object({
	after: v.pipe(v.string(), v.regex(/^\d{1,15}$/), v.transform(Number)),
	limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,5}$/), v.transform(Number)))
});
