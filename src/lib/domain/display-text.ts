/**
 * Text as the lobby display shows it: one line of plain characters, no control characters, and
 * short enough to read from three metres while the slide lasts. A long story becomes an excerpt
 * that ends at a sentence when it can, with an ellipsis saying there is more.
 */

const ELLIPSIS = '…';
/** Sentence ends in Chinese and Latin text; an excerpt prefers to stop just after one. */
const SENTENCE_END = /[。！？!?；;]/u;

/** Collapses runs of white space (line breaks included) and drops control characters. */
export function cleanText(text: string): string {
	return (
		text
			// eslint-disable-next-line no-control-regex -- control characters are what it removes
			.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028\u2029]/g, '')
			.replace(/\s+/gu, ' ')
			.trim()
	);
}

/**
 * At most `maxChars` characters (code points, so a rare character is never cut in half). Longer
 * text is cut at the last sentence end in its second half, else at the limit, and gets '…'.
 */
export function excerpt(text: string, maxChars: number): string {
	const characters = Array.from(cleanText(text));
	if (characters.length <= maxChars) return characters.join('');
	const room = characters.slice(0, Math.max(1, maxChars - 1));
	for (let i = room.length - 1; i >= Math.floor(room.length / 2); i--) {
		if (SENTENCE_END.test(room[i] ?? '')) return room.slice(0, i + 1).join('') + ELLIPSIS;
	}
	return room.join('').trimEnd() + ELLIPSIS;
}
