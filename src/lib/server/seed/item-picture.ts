import { CATEGORY_COLOURS } from './demo-catalogue';

function escapeXml(text: string): string {
	return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A simple generated picture for a demo item: a tile in the category's colour with the item's
 * first character large and its name below. Nothing is fetched from the internet.
 */
export function itemPictureSvg(item: { name: string; category: string }): string {
	const colour = CATEGORY_COLOURS[item.category] ?? '#475569';
	const initial = escapeXml(Array.from(item.name)[0] ?? '?');
	const name = escapeXml(item.name.length > 8 ? `${item.name.slice(0, 8)}…` : item.name);
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 240" width="240" height="240">
<rect width="240" height="240" rx="28" fill="${colour}"/>
<circle cx="120" cy="100" r="70" fill="#ffffff" fill-opacity="0.18"/>
<text x="120" y="128" text-anchor="middle" font-size="84" font-weight="700" fill="#ffffff" font-family="'Noto Sans CJK SC','Noto Sans SC',sans-serif">${initial}</text>
<text x="120" y="212" text-anchor="middle" font-size="26" fill="#ffffff" font-family="'Noto Sans CJK SC','Noto Sans SC',sans-serif">${name}</text>
</svg>`;
}
