import * as v from 'valibot';
import { BusinessDateSchema } from './calendar';
import { MAX_COUNT_LINES, MAX_NOTE_LENGTH } from './limits';

/*
 * The day report (日结报表) as it travels inside a dayClose event and is kept by the server.
 * Built on the kiosk by domain/day-report.ts; its figures are whole units of one item and points.
 */

const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000_000));
const SignedCount = v.pipe(
	v.number(),
	v.integer(),
	v.minValue(-1_000_000_000),
	v.maxValue(1_000_000_000)
);
/** Names in a report are cut to this length by buildDayReport, so a long name never voids a closing. */
export const DAY_REPORT_NAME_LENGTH = 100;
const ShortText = v.pipe(v.string(), v.maxLength(DAY_REPORT_NAME_LENGTH));

export const DayReportLineSchema = v.object({
	itemId: v.pipe(v.number(), v.integer(), v.minValue(1)),
	name: ShortText,
	/** Expected at the start of the day: expected minus what this kiosk did during the day. */
	opening: SignedCount,
	received: Count,
	redeemed: Count,
	voided: Count,
	lost: Count,
	/** opening + received − redeemed + voided − lost. */
	expected: SignedCount,
	counted: Count,
	/** counted − expected. */
	difference: SignedCount,
	reason: v.optional(v.pipe(v.string(), v.maxLength(MAX_NOTE_LENGTH)))
});
export type DayReportLine = v.InferOutput<typeof DayReportLineSchema>;

const Tally = v.object({ count: Count, points: Count });

export const DayReportSchema = v.object({
	businessDate: BusinessDateSchema,
	deviceId: v.string(),
	deviceName: v.optional(ShortText),
	staffName: ShortText,
	approverName: v.optional(ShortText),
	/** Device time, ISO. */
	closedAt: v.pipe(v.string(), v.isoTimestamp()),
	redemptions: Tally,
	voids: Tally,
	items: v.pipe(v.array(DayReportLineSchema), v.maxLength(MAX_COUNT_LINES)),
	/** Events of this kiosk still waiting to reach the server when the day was closed. */
	pendingEvents: Count
});
export type DayReport = v.InferOutput<typeof DayReportSchema>;
