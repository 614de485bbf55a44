/**
 * How the lobby display pages its lists (红榜, 黑榜, merchants, buildings, earn rules, new items).
 *
 * Text on the display has one size, set for reading from three metres, and never shrinks to fit:
 * a long list gets more pages instead. Sizes are in design pixels of a screen whose short side is
 * 1080 (the CSS scales them with the viewport's short side, so a 4K or a small TV look the same),
 * and the rows that fit follow from the screen's long side: a portrait screen shows one tall
 * column, a landscape one two or more columns of fewer rows.
 */

export type ListKind =
	'board-red' | 'board-black' | 'merchants' | 'buildings' | 'earn-rules' | 'new-items';

export interface Viewport {
	width: number;
	height: number;
}

export type Orientation = 'landscape' | 'portrait';

/** The short side of the design canvas, in design pixels. */
export const DESIGN_SHORT_SIDE = 1080;
/**
 * Design pixels a slide's frame takes away from its list: the top bar (community, clock), the
 * slide title, the freshness line and the margins.
 */
export const FRAME_CHROME = 400;

/** Row height in design pixels and columns per orientation, for each list. */
export const LIST_GEOMETRY: Record<
	ListKind,
	{ rowHeight: number; columns: Record<Orientation, number> }
> = {
	// Masked name (56 px) over the reason (44 px).
	'board-red': { rowHeight: 150, columns: { landscape: 2, portrait: 1 } },
	// Category, masked name and building on one line (52 px).
	'board-black': { rowHeight: 100, columns: { landscape: 2, portrait: 1 } },
	// Name and stars, then a short note.
	merchants: { rowHeight: 130, columns: { landscape: 2, portrait: 1 } },
	buildings: { rowHeight: 130, columns: { landscape: 2, portrait: 1 } },
	// Act and points on one line.
	'earn-rules': { rowHeight: 100, columns: { landscape: 2, portrait: 1 } },
	// A card: picture, name, points.
	'new-items': { rowHeight: 330, columns: { landscape: 4, portrait: 2 } }
};

export function orientationOf(viewport: Viewport): Orientation {
	return viewport.height > viewport.width ? 'portrait' : 'landscape';
}

export interface ListLayout {
	columns: number;
	rows: number;
	perPage: number;
	/** Row height in design pixels, for the CSS. */
	rowHeight: number;
}

/** Columns and rows of one page of a list on this screen; at least one entry per page. */
export function listLayout(kind: ListKind, viewport: Viewport): ListLayout {
	const geometry = LIST_GEOMETRY[kind];
	const orientation = orientationOf(viewport);
	const shortSide = Math.min(viewport.width, viewport.height);
	const longSide = Math.max(viewport.width, viewport.height);
	const ratio = shortSide > 0 && Number.isFinite(longSide / shortSide) ? longSide / shortSide : 1;
	const designHeight = orientation === 'portrait' ? DESIGN_SHORT_SIDE * ratio : DESIGN_SHORT_SIDE;
	const rows = Math.max(1, Math.floor((designHeight - FRAME_CHROME) / geometry.rowHeight));
	const columns = geometry.columns[orientation];
	return { columns, rows, perPage: columns * rows, rowHeight: geometry.rowHeight };
}

/** Pages a list of `total` entries needs; 0 when it is empty (the slide is skipped). */
export function pageCount(total: number, perPage: number): number {
	if (total <= 0) return 0;
	return Math.ceil(total / Math.max(1, perPage));
}

/**
 * The entries of one page. Pages are balanced (13 entries at 12 a page are 7 and 6, not 12 and a
 * lonely 1), so the last page never looks like a leftover.
 */
export function pageOf<T>(entries: readonly T[], perPage: number, page: number): T[] {
	const pages = pageCount(entries.length, perPage);
	if (pages === 0) return [];
	const index = ((Math.floor(page) % pages) + pages) % pages;
	const base = Math.floor(entries.length / pages);
	const extra = entries.length % pages;
	const start = index * base + Math.min(index, extra);
	return entries.slice(start, start + base + (index < extra ? 1 : 0));
}
