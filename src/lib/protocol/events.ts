import * as v from 'valibot';
import { BusinessDateSchema, IsoTimeSchema } from './calendar';
import { DayReportSchema } from './day-report';
import {
	MAX_CART_LINES,
	MAX_COUNT_LINES,
	MAX_CREDENTIAL_LENGTH,
	MAX_LINE_QUANTITY,
	MAX_NOTE_LENGTH,
	MAX_RECEIPT_LINES,
	MAX_STOCK_QUANTITY
} from './limits';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const EventIdSchema = v.pipe(v.string(), v.regex(UUID_PATTERN, 'event id must be a UUID'));
export const DeviceIdSchema = v.pipe(v.string(), v.regex(UUID_PATTERN, 'device id must be a UUID'));
export { BusinessDateSchema, IsoTimeSchema };
export const PositiveIdSchema = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(2 ** 31));
export const PointsSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));

export const RedemptionLineSchema = v.object({
	itemId: PositiveIdSchema,
	quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_LINE_QUANTITY)),
	/** The price the resident saw on the kiosk: the server charges this, not today's price. */
	unitPoints: PointsSchema
});
export type RedemptionLine = v.InferOutput<typeof RedemptionLineSchema>;

/**
 * The QR text of a resident card, by its shape alone (domain/credential.ts owns the format and
 * checks the signature): CS1.R.<community>.<resident>.<serial>.<86 characters of signature>.
 */
const RESIDENT_CREDENTIAL_SHAPE =
	/^CS1\.R\.[0-9a-z]{1,3}\.[0-9a-z]{1,5}\.[0-9a-z]{1,2}\.[A-Za-z0-9_-]{86}$/;
export const ResidentCredentialSchema = v.pipe(
	v.string(),
	v.maxLength(MAX_CREDENTIAL_LENGTH, 'a card text is at most 120 characters'),
	v.regex(RESIDENT_CREDENTIAL_SHAPE, 'credential must be the text of a resident card')
);

export const RedemptionPayloadSchema = v.object({
	residentId: PositiveIdSchema,
	cardSerial: v.pipe(v.number(), v.integer(), v.minValue(1)),
	/**
	 * The scanned card's text: the server checks its signature and that it is this resident's
	 * card with this serial, so a device token alone cannot spend anyone's points.
	 */
	credential: ResidentCredentialSchema,
	lines: v.pipe(v.array(RedemptionLineSchema), v.minLength(1), v.maxLength(MAX_CART_LINES)),
	totalPoints: PointsSchema,
	/** True when the kiosk could not reach the server at the moment of the redemption. */
	offline: v.boolean(),
	/** The device's date in the community's time zone: the business day the redemption belongs to. */
	businessDate: BusinessDateSchema
});
export type RedemptionPayload = v.InferOutput<typeof RedemptionPayloadSchema>;

/** Exact in a double and in SQLite's integer: 1e300 is refused, not rounded. */
const DeviceSeqSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(1));

const eventEnvelope = {
	id: EventIdSchema,
	deviceId: DeviceIdSchema,
	/** 1, 2, 3… per device; one number names one event (the server refuses a second). */
	deviceSeq: DeviceSeqSchema,
	occurredAt: IsoTimeSchema
};

export const RedemptionEventSchema = v.object({
	...eventEnvelope,
	type: v.literal('redemption'),
	payload: RedemptionPayloadSchema
});
export type RedemptionEvent = v.InferOutput<typeof RedemptionEventSchema>;

// ── shop mode ────────────────────────────────────────────────────────────────────────────────
// Every shop event names the staff member who did it and the business day it belongs to (after
// a closing, the kiosk's next events belong to the next day: domain/shop-business-date.ts).

/** A whole number of units, 1..100000: 0, −1, 1.5, 10⁹ and NaN are refused here and on the kiosk. */
export const StockQuantitySchema = v.pipe(
	v.number(),
	v.integer(),
	v.minValue(1),
	v.maxValue(MAX_STOCK_QUANTITY)
);
const NoteSchema = v.pipe(v.string(), v.trim(), v.maxLength(MAX_NOTE_LENGTH));
const ReasonSchema = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(MAX_NOTE_LENGTH));
const shopFields = { staffId: PositiveIdSchema, businessDate: BusinessDateSchema };

export const StockLineSchema = v.object({
	itemId: PositiveIdSchema,
	quantity: StockQuantitySchema
});
export type StockLine = v.InferOutput<typeof StockLineSchema>;

/** 入库: one delivery, several items. */
export const StockReceiptPayloadSchema = v.object({
	lines: v.pipe(
		v.array(StockLineSchema),
		v.minLength(1),
		v.maxLength(MAX_RECEIPT_LINES),
		v.check(
			(lines) => new Set(lines.map((l) => l.itemId)).size === lines.length,
			'an item may appear once per delivery'
		)
	),
	note: v.optional(NoteSchema),
	...shopFields
});
export type StockReceiptPayload = v.InferOutput<typeof StockReceiptPayloadSchema>;

export const STOCK_LOSS_REASONS = ['damaged', 'expired', 'lost', 'other'] as const;
export type StockLossReason = (typeof STOCK_LOSS_REASONS)[number];

/** 报损: goods that left the shelf without a redemption. */
export const StockLossPayloadSchema = v.object({
	itemId: PositiveIdSchema,
	quantity: StockQuantitySchema,
	reason: v.picklist(STOCK_LOSS_REASONS),
	note: v.optional(NoteSchema),
	...shopFields
});
export type StockLossPayload = v.InferOutput<typeof StockLossPayloadSchema>;

/** 撤销: a redemption of the same business day, reversed in full. */
export const VoidPayloadSchema = v.object({
	/** The redemption's event id. */
	redemptionId: EventIdSchema,
	reason: ReasonSchema,
	...shopFields
});
export type VoidPayload = v.InferOutput<typeof VoidPayloadSchema>;

export const StockCountSchema = v.object({
	itemId: PositiveIdSchema,
	/** What the kiosk expected when the count was committed (may be negative after a mistake). */
	expected: v.pipe(v.number(), v.integer(), v.minValue(-1_000_000_000), v.maxValue(1_000_000_000)),
	/** What the shopkeeper counted on the shelf: 0 is a real count here. */
	counted: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_STOCK_QUANTITY)),
	/** Required when counted ≠ expected (checked on the kiosk and by the server). */
	reason: v.optional(ReasonSchema)
});
export type StockCount = v.InferOutput<typeof StockCountSchema>;

/** 日结: the count of every stock-tracked item and the day report. */
export const DayClosePayloadSchema = v.pipe(
	v.object({
		/** A second staff member who entered their PIN for a difference beyond the limit. */
		approverStaffId: v.optional(PositiveIdSchema),
		/** The closing covers this kiosk's events up to this deviceSeq. */
		lastDeviceSeq: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
		counts: v.pipe(v.array(StockCountSchema), v.maxLength(MAX_COUNT_LINES)),
		report: DayReportSchema,
		...shopFields
	}),
	v.check(
		(p) => p.counts.every((c) => c.counted === c.expected || c.reason !== undefined),
		'a count difference needs a reason'
	),
	v.check(
		(p) => new Set(p.counts.map((c) => c.itemId)).size === p.counts.length,
		'an item may be counted once per closing'
	),
	v.check((p) => p.report.businessDate === p.businessDate, 'the report is of another day')
);
export type DayClosePayload = v.InferOutput<typeof DayClosePayloadSchema>;

export const StockReceiptEventSchema = v.object({
	...eventEnvelope,
	type: v.literal('stockReceipt'),
	payload: StockReceiptPayloadSchema
});
export type StockReceiptEvent = v.InferOutput<typeof StockReceiptEventSchema>;

export const StockLossEventSchema = v.object({
	...eventEnvelope,
	type: v.literal('stockLoss'),
	payload: StockLossPayloadSchema
});
export type StockLossEvent = v.InferOutput<typeof StockLossEventSchema>;

export const VoidEventSchema = v.object({
	...eventEnvelope,
	type: v.literal('void'),
	payload: VoidPayloadSchema
});
export type VoidEvent = v.InferOutput<typeof VoidEventSchema>;

export const DayCloseEventSchema = v.object({
	...eventEnvelope,
	type: v.literal('dayClose'),
	payload: DayClosePayloadSchema
});
export type DayCloseEvent = v.InferOutput<typeof DayCloseEventSchema>;

/** Every event type a device may push. */
export const DeviceEventSchema = v.variant('type', [
	RedemptionEventSchema,
	StockReceiptEventSchema,
	StockLossEventSchema,
	VoidEventSchema,
	DayCloseEventSchema
]);
export type ShopEvent = StockReceiptEvent | StockLossEvent | VoidEvent | DayCloseEvent;
export type DeviceEvent = v.InferOutput<typeof DeviceEventSchema>;
export type DeviceEventType = DeviceEvent['type'];

/** Loose envelope: enough to answer per event even when the rest of it is invalid. */
export const EventEnvelopeSchema = v.looseObject({
	id: EventIdSchema,
	deviceId: v.optional(v.string()),
	type: v.optional(v.string())
});
