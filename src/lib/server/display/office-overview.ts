import type { Kysely } from 'kysely';
import { quarterOf } from '$lib/domain/quarter';
import type { Playlist, StarredPlace } from '$lib/protocol/display-feed';
import type { Database } from '../db/schema';
import type { BoardStatus } from '../db/schema-display';
import { readStarredPlaces } from './feed';
import { playlistFromRow } from './playlist';

/*
 * What the office sees of the lobby display's content: every board and story with whether the
 * lobby shows it now and why not. The office may see full names and household labels; this never
 * goes to a device.
 */

export type StoryStatus = 'showing' | 'ended' | 'scheduled';

export interface BoardOverview {
	id: number;
	quarter: string;
	title: string;
	status: BoardStatus;
	red: number;
	black: number;
	/** Entries past their expiry: kept, but no longer shown. */
	expired: number;
	/** True for the published board of the current quarter: the one on the lobby screen. */
	showing: boolean;
	updatedAt: string;
}

export interface StoryOverview {
	id: number;
	title: string;
	household: string;
	photoUrl: string;
	link: string | null;
	publishFrom: string;
	publishUntil: string | null;
	status: StoryStatus;
	characters: number;
}

export interface DisplayOverview {
	currentQuarter: string;
	boards: BoardOverview[];
	stories: StoryOverview[];
	merchants: StarredPlace[];
	buildings: StarredPlace[];
	playlist: Playlist;
	/** False when the community has not saved a playlist and the default one plays. */
	playlistSaved: boolean;
}

function storyStatus(from: string, until: string | null, nowIso: string): StoryStatus {
	if (from > nowIso) return 'scheduled';
	if (until !== null && until <= nowIso) return 'ended';
	return 'showing';
}

export async function displayOverview(
	db: Kysely<Database>,
	communityId: number,
	now: Date = new Date()
): Promise<DisplayOverview> {
	const nowIso = now.toISOString();
	const community = await db
		.selectFrom('communities')
		.select('time_zone')
		.where('id', '=', communityId)
		.executeTakeFirstOrThrow();
	const currentQuarter = quarterOf(now, community.time_zone);
	const boards = await db
		.selectFrom('display_boards as b')
		.leftJoin('display_board_entries as e', 'e.board_id', 'b.id')
		.select((eb) => [
			'b.id',
			'b.quarter',
			'b.title',
			'b.status',
			'b.updated_at',
			eb.fn.sum<number>(eb.case().when('e.list', '=', 'red').then(1).else(0).end()).as('red'),
			eb.fn.sum<number>(eb.case().when('e.list', '=', 'black').then(1).else(0).end()).as('black'),
			eb.fn
				.sum<number>(eb.case().when('e.expires_at', '<=', nowIso).then(1).else(0).end())
				.as('expired')
		])
		.where('b.community_id', '=', communityId)
		.groupBy('b.id')
		.orderBy('b.quarter', 'desc')
		.execute();
	const stories = await db
		.selectFrom('display_stories as s')
		.innerJoin('households as h', 'h.id', 's.household_id')
		.select([
			's.id',
			's.title',
			's.text',
			's.photo_url',
			's.link',
			's.publish_from',
			's.publish_until',
			'h.label'
		])
		.where('s.community_id', '=', communityId)
		.orderBy('s.publish_from', 'desc')
		.orderBy('s.id')
		.execute();
	const playlistRow = await db
		.selectFrom('display_playlists')
		.select(['slides', 'day_parts'])
		.where('community_id', '=', communityId)
		.executeTakeFirst();
	return {
		currentQuarter,
		boards: boards.map((board) => ({
			id: board.id,
			quarter: board.quarter,
			title: board.title,
			status: board.status,
			red: Number(board.red ?? 0),
			black: Number(board.black ?? 0),
			expired: Number(board.expired ?? 0),
			showing: board.status === 'published' && board.quarter === currentQuarter,
			updatedAt: board.updated_at
		})),
		stories: stories.map((story) => ({
			id: story.id,
			title: story.title,
			household: story.label,
			photoUrl: story.photo_url,
			link: story.link,
			publishFrom: story.publish_from,
			publishUntil: story.publish_until,
			status: storyStatus(story.publish_from, story.publish_until, nowIso),
			characters: Array.from(story.text).length
		})),
		merchants: await readStarredPlaces(db, 'display_trusted_merchants', communityId),
		buildings: await readStarredPlaces(db, 'display_trusted_buildings', communityId),
		playlist: playlistFromRow(playlistRow),
		playlistSaved: playlistRow !== undefined
	};
}
