import * as v from 'valibot';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from './limits';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const EventIdSchema = v.pipe(v.string(), v.regex(UUID_PATTERN, 'event id must be a UUID'));
export const DeviceIdSchema = v.pipe(v.string(), v.regex(UUID_PATTERN, 'device id must be a UUID'));
export const IsoTimeSchema = v.pipe(v.string(), v.isoTimestamp());
export const BusinessDateSchema = v.pipe(v.string(), v.isoDate());
export const PositiveIdSchema = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(2 ** 31));
export const PointsSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));

export const RedemptionLineSchema = v.object({
	itemId: PositiveIdSchema,
	quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_LINE_QUANTITY)),
	/** The price the resident saw on the kiosk: the server charges this, not today's price. */
	unitPoints: PointsSchema
});
export type RedemptionLine = v.InferOutput<typeof RedemptionLineSchema>;

export const RedemptionPayloadSchema = v.object({
	residentId: PositiveIdSchema,
	cardSerial: v.pipe(v.number(), v.integer(), v.minValue(1)),
	lines: v.pipe(v.array(RedemptionLineSchema), v.minLength(1), v.maxLength(MAX_CART_LINES)),
	totalPoints: PointsSchema,
	/** True when the kiosk could not reach the server at the moment of the redemption. */
	offline: v.boolean(),
	/** The device's date in the community's time zone: the business day the redemption belongs to. */
	businessDate: BusinessDateSchema
});
export type RedemptionPayload = v.InferOutput<typeof RedemptionPayloadSchema>;

const eventEnvelope = {
	id: EventIdSchema,
	deviceId: DeviceIdSchema,
	deviceSeq: v.pipe(v.number(), v.integer(), v.minValue(1)),
	occurredAt: IsoTimeSchema
};

export const RedemptionEventSchema = v.object({
	...eventEnvelope,
	type: v.literal('redemption'),
	payload: RedemptionPayloadSchema
});
export type RedemptionEvent = v.InferOutput<typeof RedemptionEventSchema>;

/** Every event type a device may push. Later issues add shop-mode events here. */
export const DeviceEventSchema = v.variant('type', [RedemptionEventSchema]);
export type DeviceEvent = v.InferOutput<typeof DeviceEventSchema>;
export type DeviceEventType = DeviceEvent['type'];

/** Loose envelope: enough to answer per event even when the rest of it is invalid. */
export const EventEnvelopeSchema = v.looseObject({
	id: EventIdSchema,
	deviceId: v.optional(v.string()),
	type: v.optional(v.string())
});
