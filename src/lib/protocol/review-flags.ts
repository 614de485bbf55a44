/*
 * Why the server applied a pushed redemption but asks the office to look at it (待核查): the goods
 * have left the shop, so it is applied anyway. The push answer names the kinds, so shop mode can
 * say which it was; the server keeps one review flag per kind.
 */
export const REVIEW_FLAG_KINDS = ['overdrawn', 'revoked_card', 'moved_out'] as const;
export type ReviewFlagKind = (typeof REVIEW_FLAG_KINDS)[number];
