import * as v from 'valibot';

/** Every API error answers `{ error, message }`; `error` is one of these codes. */
export const API_ERROR_CODES = [
	'bad_request',
	'invalid_json',
	'invalid_body',
	'body_too_large',
	'unsupported_media_type',
	'unauthorized',
	'forbidden',
	'not_found',
	'invalid_code',
	/** A resident card that cannot be used: forged, revoked, or of a resident who moved out. */
	'invalid_card',
	'rate_limited',
	'storage_full',
	'server_error'
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const ApiErrorSchema = v.object({
	error: v.picklist(API_ERROR_CODES),
	message: v.string()
});
export type ApiError = v.InferOutput<typeof ApiErrorSchema>;

/** Why the server refused one pushed event. The device shows these in shop mode. */
export const REJECT_REASONS = [
	'invalid_event',
	'unknown_type',
	'wrong_device',
	'id_conflict',
	'unknown_resident',
	'unknown_card',
	/** The card text's signature does not verify (forged, garbled, or another community's). */
	'forged_card',
	/** A genuine card, but of another resident or with another serial than the event names. */
	'card_mismatch',
	'unknown_item',
	'bad_total',
	// shop mode
	'unknown_staff',
	'not_stock_tracked',
	'unknown_redemption',
	'already_voided',
	'not_same_day',
	'already_closed'
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
