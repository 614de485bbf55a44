import type { Kysely } from 'kysely';
import type { Playlist } from '$lib/protocol/display-feed';
import { chunked } from '../db/chunks';
import type { Database } from '../db/schema';
import type { BoardList, BoardStatus } from '../db/schema-display';

/*
 * Writing the display's content: used by the demo seed and the tests now, by the office pages
 * later. Every write stamps updated_at; the feed's version follows from the content itself.
 */

type Db = Kysely<Database>;

const QUARTER_NAMES = ['', '一', '二', '三', '四'];

/** '2026-Q4' → '2026年第四季度红黑榜' */
export function defaultBoardTitle(quarter: string): string {
	const [year, q] = quarter.split('-Q');
	return `${year}年第${QUARTER_NAMES[Number(q)] ?? q}季度红黑榜`;
}

export interface NewBoard {
	communityId: number;
	quarter: string;
	title?: string;
	status: BoardStatus;
	link?: string | null;
}

export async function createBoard(
	db: Db,
	board: NewBoard,
	now: Date = new Date()
): Promise<number> {
	const at = now.toISOString();
	const row = await db
		.insertInto('display_boards')
		.values({
			community_id: board.communityId,
			quarter: board.quarter,
			title: board.title ?? defaultBoardTitle(board.quarter),
			status: board.status,
			link: board.link ?? null,
			published_at: board.status === 'published' ? at : null,
			created_at: at,
			updated_at: at
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** A resident or a household on a board: red with a reason, black with a category. */
export type NewBoardEntry = ({ residentId: number } | { householdId: number }) &
	({ list: Extract<BoardList, 'red'>; reason: string } | { list: 'black'; category: string }) & {
		expiresAt?: Date | null;
	};

/** Appends entries in the given order, after the board's existing ones. */
export async function addBoardEntries(
	db: Db,
	boardId: number,
	entries: readonly NewBoardEntry[],
	now: Date = new Date()
): Promise<void> {
	const board = await db
		.selectFrom('display_boards')
		.select('community_id')
		.where('id', '=', boardId)
		.executeTakeFirstOrThrow();
	const last = await db
		.selectFrom('display_board_entries')
		.select((eb) => eb.fn.max('sort_order').as('max'))
		.where('board_id', '=', boardId)
		.executeTakeFirst();
	const first = (last?.max ?? -1) + 1;
	const at = now.toISOString();
	const rows = entries.map((entry, index) => ({
		board_id: boardId,
		community_id: board.community_id,
		list: entry.list,
		resident_id: 'residentId' in entry ? entry.residentId : null,
		household_id: 'householdId' in entry ? entry.householdId : null,
		reason: entry.list === 'red' ? entry.reason : null,
		category: entry.list === 'black' ? entry.category : null,
		expires_at: entry.expiresAt?.toISOString() ?? null,
		sort_order: first + index,
		created_at: at,
		updated_at: at
	}));
	for (const chunk of chunked(rows, 200)) {
		await db.insertInto('display_board_entries').values(chunk).execute();
	}
	await db
		.updateTable('display_boards')
		.set({ updated_at: at })
		.where('id', '=', boardId)
		.execute();
}

export interface NewStory {
	communityId: number;
	householdId: number;
	title: string;
	text: string;
	/** Defaults to the demo picture of the story (/demo/stories/ID.svg). */
	photoUrl?: string;
	link?: string | null;
	publishFrom: Date;
	publishUntil?: Date | null;
	sortOrder?: number;
}

export async function createStory(
	db: Db,
	story: NewStory,
	now: Date = new Date()
): Promise<number> {
	const at = now.toISOString();
	const row = await db
		.insertInto('display_stories')
		.values({
			community_id: story.communityId,
			household_id: story.householdId,
			title: story.title,
			text: story.text,
			photo_url: story.photoUrl ?? '',
			link: story.link ?? null,
			publish_from: story.publishFrom.toISOString(),
			publish_until: story.publishUntil?.toISOString() ?? null,
			sort_order: story.sortOrder ?? 0,
			created_at: at,
			updated_at: at
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	if (story.photoUrl === undefined) {
		await db
			.updateTable('display_stories')
			.set({ photo_url: storyPictureUrl(row.id) })
			.where('id', '=', row.id)
			.execute();
	}
	return row.id;
}

export function storyPictureUrl(storyId: number): string {
	return `/demo/stories/${storyId}.svg`;
}

export interface NewStarredPlace {
	name: string;
	stars: number;
	note?: string | null;
}

export async function addStarredPlaces(
	db: Db,
	table: 'display_trusted_merchants' | 'display_trusted_buildings',
	communityId: number,
	places: readonly NewStarredPlace[],
	now: Date = new Date()
): Promise<void> {
	if (places.length === 0) return;
	const at = now.toISOString();
	await db
		.insertInto(table)
		.values(
			places.map((place, index) => ({
				community_id: communityId,
				name: place.name,
				stars: place.stars,
				note: place.note ?? null,
				active: 1 as const,
				sort_order: index,
				created_at: at,
				updated_at: at
			}))
		)
		.execute();
}

/** Creates or replaces a community's playlist. */
export async function savePlaylist(
	db: Db,
	communityId: number,
	playlist: Playlist,
	now: Date = new Date()
): Promise<void> {
	const at = now.toISOString();
	const values = {
		slides: JSON.stringify(playlist.slides),
		day_parts: JSON.stringify(playlist.dayParts)
	};
	await db
		.insertInto('display_playlists')
		.values({ community_id: communityId, ...values, created_at: at, updated_at: at })
		.onConflict((oc) => oc.column('community_id').doUpdateSet({ ...values, updated_at: at }))
		.execute();
}
