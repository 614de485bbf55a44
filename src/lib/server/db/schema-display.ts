import type { Generated, Insertable, Selectable } from 'kysely';
import type { Flag } from './schema';

/** The tables of the lobby display, as Kysely sees them (see schema.ts for the conventions). */
export interface DisplayTables {
	display_boards: DisplayBoardsTable;
	display_board_entries: DisplayBoardEntriesTable;
	display_stories: DisplayStoriesTable;
	display_trusted_merchants: DisplayStarredPlacesTable;
	display_trusted_buildings: DisplayStarredPlacesTable;
	display_playlists: DisplayPlaylistsTable;
}

export type BoardStatus = 'draft' | 'published';

/** One red/black board (红黑榜) per community and quarter; only a published one reaches the lobby. */
export interface DisplayBoardsTable {
	id: Generated<number>;
	community_id: number;
	/** e.g. '2026-Q4', in the community's time zone. */
	quarter: string;
	title: string;
	status: BoardStatus;
	/** Where residents can learn more; the display shows it as a QR code. */
	link: string | null;
	published_at: string | null;
	created_at: string;
	updated_at: string;
}

export type BoardList = 'red' | 'black';

/**
 * A person or household on a board. Names are looked up (and masked) when the feed is built, so
 * that a board never stores a copy of a name. A black entry shows its category and the building.
 */
export interface DisplayBoardEntriesTable {
	id: Generated<number>;
	board_id: number;
	community_id: number;
	list: BoardList;
	/** Exactly one of resident_id and household_id is set. */
	resident_id: number | null;
	household_id: number | null;
	/** Red: why they are honoured, e.g. '楼道清扫志愿者'. */
	reason: string | null;
	/** Black: the misconduct's category, e.g. '不文明养犬'. */
	category: string | null;
	/** After this moment the entry leaves the lobby screen; null = stays for the quarter. */
	expires_at: string | null;
	sort_order: number;
	created_at: string;
	updated_at: string;
}

/** A 最美信用户 story, shown from publish_from until publish_until (exclusive; null = open). */
export interface DisplayStoriesTable {
	id: Generated<number>;
	community_id: number;
	household_id: number;
	title: string;
	/** Stored whole, however long; the display clamps what it shows. */
	text: string;
	/** On our own origin. */
	photo_url: string;
	link: string | null;
	publish_from: string;
	publish_until: string | null;
	sort_order: number;
	created_at: string;
	updated_at: string;
}

/** 诚信商户 and 诚信楼栋 share one shape: a name, 1–5 stars and a short note. */
export interface DisplayStarredPlacesTable {
	id: Generated<number>;
	community_id: number;
	name: string;
	stars: number;
	note: string | null;
	active: Flag;
	sort_order: number;
	created_at: string;
	updated_at: string;
}

/** A community's playlist. Without a row, the display gets the default playlist. */
export interface DisplayPlaylistsTable {
	community_id: number;
	/** JSON: PlaylistSlide[] (protocol/display-feed.ts). */
	slides: string;
	/** JSON: DayPart[] (protocol/display-feed.ts). */
	day_parts: string;
	created_at: string;
	updated_at: string;
}

export type DisplayBoardRow = Selectable<DisplayBoardsTable>;
export type NewDisplayBoardEntry = Insertable<DisplayBoardEntriesTable>;
export type NewDisplayStory = Insertable<DisplayStoriesTable>;
export type NewDisplayStarredPlace = Insertable<DisplayStarredPlacesTable>;
