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

/** The paper of each layout: an A4 sheet, or an 80 mm roll (a long page the printer cuts). */
const PAGE_RULES: Record<PrintLayout, string> = {
	a4: '@page { size: A4 portrait; margin: 12mm; }',
	receipt: '@page { size: 80mm 600mm; margin: 3mm; }'
};

/**
 * Puts the paper size of `layout` in force for printing (one @page rule in the document head)
 * and returns a function that takes it away again.
 */
export function usePrintLayout(layout: PrintLayout): () => void {
	const style = document.createElement('style');
	style.dataset.printLayout = layout;
	style.textContent = PAGE_RULES[layout];
	document.head.append(style);
	return () => style.remove();
}
