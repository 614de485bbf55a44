/** The print page of some cards (an A4 sheet, ten cards a page): the one place that knows its URL. */
export function cardPrintUrl(cardIds: readonly number[]): string {
	return `/admin/print/cards?ids=${cardIds.join(',')}`;
}

/** The cards page, opened on one resident (the residents page links here). */
export function residentCardsUrl(residentId: number): string {
	return `/admin/cards?resident=${residentId}`;
}
