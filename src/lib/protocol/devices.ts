import * as v from 'valibot';
import { CommunityChangeSchema } from './sync';

export const DEVICE_KINDS = ['kiosk', 'display'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** Enrollment codes are 8 digits, shown as 4-4 and typed or scanned. */
export const ENROLL_CODE_PATTERN = /^\d{4}-?\d{4}$/;
/** The QR form of an enrollment code, so a kiosk can scan it from the office screen. */
export const ENROLL_QR_PREFIX = 'CSENROLL:';

export const EnrollRequestSchema = v.object({
	code: v.pipe(v.string(), v.trim(), v.regex(ENROLL_CODE_PATTERN, '登记码是 8 位数字')),
	kind: v.picklist(DEVICE_KINDS),
	name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(60)))
});
export type EnrollRequest = v.InferOutput<typeof EnrollRequestSchema>;

export const EnrollResponseSchema = v.object({
	deviceId: v.string(),
	token: v.string(),
	kind: v.picklist(DEVICE_KINDS),
	community: CommunityChangeSchema,
	/** The name the office sees (printed on the kiosk's day reports). */
	name: v.optional(v.string())
});
export type EnrollResponse = v.InferOutput<typeof EnrollResponseSchema>;

export function normalizeEnrollCode(code: string): string {
	return code.replace(/\D/g, '');
}
