/** Saving and printing the day report from the kiosk's browser. */

/** 日结报表-2026-11-22.csv: a name the office recognises in a folder of downloads. */
export function dayReportFilename(businessDate: string): string {
	return `日结报表-${businessDate}.csv`;
}

/**
 * Hands `text` to the browser as a download. The text is encoded as UTF-8 as it is; a CSV for
 * Excel carries its byte-order mark at the start of the text.
 */
export function downloadText(
	filename: string,
	text: string,
	type = 'text/csv;charset=utf-8'
): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const link = document.createElement('a');
	link.href = url;
	link.download = filename;
	link.style.display = 'none';
	document.body.append(link);
	link.click();
	link.remove();
	// The download has started from the object URL by now; give it a moment before freeing it.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export type PrintLayout = 'a4' | 'receipt';

/**
 * Prints with the chosen layout: the report's CSS picks its named @page (A4 or an 80 mm roll)
 * from the layout class, and the attribute lets the page hide everything else.
 */
export function printReport(layout: PrintLayout): void {
	const root = document.documentElement;
	root.dataset.printLayout = layout;
	window.print();
}
