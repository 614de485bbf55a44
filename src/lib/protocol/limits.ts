/** Limits shared by the device and the server so that both refuse the same things. */
export const MAX_PUSH_EVENTS = 500;
export const MAX_PUSH_BODY_BYTES = 1_000_000;
export const MAX_SMALL_BODY_BYTES = 16_000;
export const MAX_CART_LINES = 50;
export const MAX_LINE_QUANTITY = 99;
/** Characters of a card's QR text (domain/credential.ts keeps it under 106; a little slack). */
export const MAX_CREDENTIAL_LENGTH = 120;
export const PULL_PAGE_DEFAULT = 1000;
export const PULL_PAGE_MAX = 5000;
/** A device clock further than this from the server's is flagged at sync. */
export const CLOCK_SKEW_WARN_MS = 5 * 60 * 1000;

// ── shop mode ────────────────────────────────────────────────────────────────────────────────
/** The most of one item a delivery, a loss or a count may name: a keypad slip of 10⁹ is refused. */
export const MAX_STOCK_QUANTITY = 100_000;
/** Lines in one delivery (入库). */
export const MAX_RECEIPT_LINES = 200;
/** Items one closing may count: a shop's whole catalogue. */
export const MAX_COUNT_LINES = 2_000;
/** Characters of a free-text note or reason (a void, a loss, a count difference). */
export const MAX_NOTE_LENGTH = 200;
/** Wrong PINs in a row before a staff card is locked out of shop mode. */
export const PIN_MAX_TRIES = 5;
/** How long the lock-out lasts. */
export const PIN_LOCK_MS = 5 * 60_000;
/** Digits of a staff PIN. */
export const PIN_MIN_LENGTH = 4;
export const PIN_MAX_LENGTH = 8;
/** Count difference (units of one item) above which a second staff PIN is needed, by default. */
export const DEFAULT_COUNT_DIFFERENCE_LIMIT = 5;
