/**
 * What each slide shows, built from the feed for one scheduled slot: which entries of a paged
 * list, which story. The player asks `framesOf` how many pages a type has on this screen and
 * `slideModel` for the page it scheduled; slide components only render a model.
 */
import {
	listLayout,
	pageCount,
	pageOf,
	type ListKind,
	type ListLayout,
	type Viewport
} from '$lib/domain/board-paging';
import type { DisplayContent, StarredPlace } from '$lib/domain/display-feed-salvage';
import type { ScheduledSlide } from '$lib/domain/display-schedule';

type Board = NonNullable<DisplayContent['board']>;

interface Paged {
	page: number;
	pages: number;
	layout: ListLayout;
}

export type SlideModel =
	| ({ kind: 'board-red'; heading: string; entries: Board['red']; link: string | null } & Paged)
	| ({ kind: 'board-black'; heading: string; entries: Board['black']; link: string | null } & Paged)
	| { kind: 'story'; story: DisplayContent['stories'][number]; index: number; count: number }
	| ({ kind: 'merchants' | 'buildings'; places: StarredPlace[] } & Paged)
	| ({ kind: 'earn-rules'; rules: DisplayContent['earnRules'] } & Paged)
	| ({ kind: 'new-items'; items: DisplayContent['newItems'] } & Paged)
	| { kind: 'calm' };

export type SlideKind = SlideModel['kind'];

function listOf(content: DisplayContent, kind: ListKind): readonly unknown[] {
	switch (kind) {
		case 'board-red':
			return content.board?.red ?? [];
		case 'board-black':
			return content.board?.black ?? [];
		case 'merchants':
			return content.merchants;
		case 'buildings':
			return content.buildings;
		case 'earn-rules':
			return content.earnRules;
		case 'new-items':
			return content.newItems;
	}
}

const LIST_KINDS = new Set<string>([
	'board-red',
	'board-black',
	'merchants',
	'buildings',
	'earn-rules',
	'new-items'
]);

function isListKind(type: string): type is ListKind {
	return LIST_KINDS.has(type);
}

/** Frames (pages, or stories) a slide type has on this screen; 0 for an unknown or empty type. */
export function framesOf(content: DisplayContent | null, type: string, viewport: Viewport): number {
	if (!content) return 0;
	if (type === 'story') return content.stories.length;
	if (!isListKind(type)) return 0;
	return pageCount(listOf(content, type).length, listLayout(type, viewport).perPage);
}

/** '2026年第四季度' from '2026-Q4'. */
export function quarterText(quarter: string | null): string {
	const match = quarter ? /^(\d{4})-Q([1-4])$/.exec(quarter) : null;
	if (!match) return '';
	return `${match[1]}年第${['一', '二', '三', '四'][Number(match[2]) - 1]}季度`;
}

function boardHeading(board: Board): string {
	return board.title || quarterText(board.quarter);
}

export function slideModel(
	content: DisplayContent | null,
	scheduled: ScheduledSlide,
	viewport: Viewport
): SlideModel {
	if (scheduled.kind === 'calm' || !content) return { kind: 'calm' };
	const { type, frame } = scheduled;
	if (type === 'story') {
		const story = content.stories[frame];
		if (!story) return { kind: 'calm' };
		return { kind: 'story', story, index: frame, count: content.stories.length };
	}
	if (!isListKind(type)) return { kind: 'calm' };
	const layout = listLayout(type, viewport);
	const all = listOf(content, type);
	const pages = pageCount(all.length, layout.perPage);
	if (pages === 0) return { kind: 'calm' };
	const paged: Paged = { page: frame % pages, pages, layout };
	const board = content.board;
	switch (type) {
		case 'board-red':
			if (!board) return { kind: 'calm' };
			return {
				kind: type,
				heading: boardHeading(board),
				entries: pageOf(board.red, layout.perPage, frame),
				link: content.links.board,
				...paged
			};
		case 'board-black':
			if (!board) return { kind: 'calm' };
			return {
				kind: type,
				heading: boardHeading(board),
				entries: pageOf(board.black, layout.perPage, frame),
				link: content.links.board,
				...paged
			};
		case 'merchants':
		case 'buildings':
			return { kind: type, places: pageOf(content[type], layout.perPage, frame), ...paged };
		case 'earn-rules':
			return { kind: type, rules: pageOf(content.earnRules, layout.perPage, frame), ...paged };
		case 'new-items':
			return { kind: type, items: pageOf(content.newItems, layout.perPage, frame), ...paged };
	}
}
