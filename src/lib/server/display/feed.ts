import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { maskHouseholdName, maskName } from '$lib/domain/masking';
import { quarterOf } from '$lib/domain/quarter';
import type { Board, DisplayFeed, StarredPlace } from '$lib/protocol/display-feed';
import type { Database } from '../db/schema';
import { playlistFromRow } from './playlist';

/** Items created within this many days are "new in the shop". */
export const NEW_ITEM_DAYS = 30;
/** At most this many new items, newest first: one slide's worth. */
export const MAX_NEW_ITEMS = 12;

const DAY_MS = 24 * 3600_000;

type Db = Kysely<Database>;

async function readBoard(
	db: Db,
	communityId: number,
	quarter: string,
	nowIso: string
): Promise<{ board: Board; link: string | null } | null> {
	const board = await db
		.selectFrom('display_boards')
		.select(['id', 'quarter', 'title', 'link'])
		.where('community_id', '=', communityId)
		.where('quarter', '=', quarter)
		.where('status', '=', 'published')
		.executeTakeFirst();
	if (!board) return null;
	const entries = await db
		.selectFrom('display_board_entries as e')
		.leftJoin('residents as r', 'r.id', 'e.resident_id')
		.innerJoin('households as h', (join) =>
			join.on((eb) =>
				eb.or([
					eb('h.id', '=', eb.ref('e.household_id')),
					eb('h.id', '=', eb.ref('r.household_id'))
				])
			)
		)
		.select((eb) => [
			'e.list',
			'e.reason',
			'e.category',
			'r.name as residentName',
			'h.building',
			// The household's name source: its first member, active ones first. Only the surname
			// survives masking, so which member it is matters little; the order keeps it stable.
			eb
				.selectFrom('residents as m')
				.select('m.name')
				.whereRef('m.household_id', '=', 'e.household_id')
				.orderBy('m.active', 'desc')
				.orderBy('m.id')
				.limit(1)
				.as('householdMember')
		])
		.where('e.board_id', '=', board.id)
		.where('e.community_id', '=', communityId)
		// A person of another community never appears, even if an entry pointed at one by mistake.
		.where('h.community_id', '=', communityId)
		.where((eb) => eb.or([eb('e.expires_at', 'is', null), eb('e.expires_at', '>', nowIso)]))
		.orderBy('e.sort_order')
		.orderBy('e.id')
		.execute();
	const maskedName = (entry: (typeof entries)[number]) =>
		entry.residentName !== null
			? maskName(entry.residentName)
			: maskHouseholdName(entry.householdMember);
	return {
		board: {
			quarter: board.quarter,
			title: board.title,
			red: entries
				.filter((entry) => entry.list === 'red')
				.map((entry) => ({
					maskedName: maskedName(entry),
					building: entry.building,
					reason: entry.reason ?? ''
				})),
			black: entries
				.filter((entry) => entry.list === 'black')
				.map((entry) => ({
					category: entry.category ?? '',
					maskedName: maskedName(entry),
					building: entry.building
				}))
		},
		link: board.link
	};
}

async function readStories(db: Db, communityId: number, nowIso: string) {
	const rows = await db
		.selectFrom('display_stories as s')
		.innerJoin('households as h', 'h.id', 's.household_id')
		.select(['s.id', 's.title', 's.text', 's.photo_url', 's.link', 'h.building'])
		.select((eb) =>
			eb
				.selectFrom('residents as m')
				.select('m.name')
				.whereRef('m.household_id', '=', 's.household_id')
				.orderBy('m.active', 'desc')
				.orderBy('m.id')
				.limit(1)
				.as('householdMember')
		)
		.where('s.community_id', '=', communityId)
		.where('h.community_id', '=', communityId)
		.where('s.publish_from', '<=', nowIso)
		.where((eb) => eb.or([eb('s.publish_until', 'is', null), eb('s.publish_until', '>', nowIso)]))
		.orderBy('s.sort_order')
		.orderBy('s.publish_from', 'desc')
		.orderBy('s.id')
		.execute();
	return rows.map((row) => ({
		id: row.id,
		householdName: `${row.building} ${maskHouseholdName(row.householdMember)}`,
		title: row.title,
		text: row.text,
		photoUrl: row.photo_url,
		link: row.link
	}));
}

/** Active trusted merchants or buildings of a community, in the office's order. */
export async function readStarredPlaces(
	db: Db,
	table: 'display_trusted_merchants' | 'display_trusted_buildings',
	communityId: number
): Promise<StarredPlace[]> {
	return db
		.selectFrom(table)
		.select(['id', 'name', 'stars', 'note'])
		.where('community_id', '=', communityId)
		.where('active', '=', 1)
		.orderBy('sort_order')
		.orderBy('id')
		.execute();
}

/** The version: a digest of everything the display shows, so that it changes exactly when that does. */
export function feedVersion(content: Omit<DisplayFeed, 'version' | 'generatedAt'>): string {
	return createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 22);
}

/**
 * Everything a community's lobby display shows at `now`: the published board of the current
 * quarter (in the community's time zone) without expired entries, the stories inside their
 * publish window, merchants, buildings, earn rules and new items. Names are masked here; raw
 * names never leave this function. Returns null for an unknown community.
 */
export async function buildDisplayFeed(
	db: Db,
	communityId: number,
	now: Date = new Date()
): Promise<DisplayFeed | null> {
	const community = await db
		.selectFrom('communities')
		.select(['id', 'name', 'time_zone'])
		.where('id', '=', communityId)
		.executeTakeFirst();
	if (!community) return null;
	const nowIso = now.toISOString();
	const [playlistRow, board, stories, merchants, buildings, earnRules, newItems] =
		await Promise.all([
			db
				.selectFrom('display_playlists')
				.select(['slides', 'day_parts'])
				.where('community_id', '=', communityId)
				.executeTakeFirst(),
			readBoard(db, communityId, quarterOf(now, community.time_zone), nowIso),
			readStories(db, communityId, nowIso),
			readStarredPlaces(db, 'display_trusted_merchants', communityId),
			readStarredPlaces(db, 'display_trusted_buildings', communityId),
			db
				.selectFrom('point_rules')
				.select(['name', 'points'])
				.where('community_id', '=', communityId)
				.where('kind', '=', 'earn')
				.where('active', '=', 1)
				.orderBy('sort_order')
				.orderBy('id')
				.execute(),
			db
				.selectFrom('items')
				.select(['id', 'name', 'points', 'image_url as imageUrl'])
				.where('community_id', '=', communityId)
				.where('active', '=', 1)
				.where('created_at', '>=', new Date(now.getTime() - NEW_ITEM_DAYS * DAY_MS).toISOString())
				.orderBy('created_at', 'desc')
				.orderBy('id', 'desc')
				.limit(MAX_NEW_ITEMS)
				.execute()
		]);
	const content = {
		community: { id: community.id, name: community.name, timeZone: community.time_zone },
		playlist: playlistFromRow(playlistRow),
		board: board?.board ?? null,
		stories,
		merchants,
		buildings,
		earnRules,
		newItems,
		links: { board: board?.link ?? null }
	};
	return { version: feedVersion(content), generatedAt: nowIso, ...content };
}
