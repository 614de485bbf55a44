/** Limits shared by the device and the server so that both refuse the same things. */
export const MAX_PUSH_EVENTS = 500;
export const MAX_PUSH_BODY_BYTES = 1_000_000;
export const MAX_SMALL_BODY_BYTES = 16_000;
export const MAX_CART_LINES = 50;
export const MAX_LINE_QUANTITY = 99;
export const PULL_PAGE_DEFAULT = 1000;
export const PULL_PAGE_MAX = 5000;
/** A device clock further than this from the server's is flagged at sync. */
export const CLOCK_SKEW_WARN_MS = 5 * 60 * 1000;
