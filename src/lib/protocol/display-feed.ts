import * as v from 'valibot';
import { IsoTimeSchema, PointsSchema, PositiveIdSchema } from './events';

/*
 * The lobby display's feed: `GET /api/display/feed` (contract: shared/briefs/display-contract.md).
 * These schemas describe exactly what the server emits. The display validates leniently, one
 * slide or entry at a time (`v.safeParse` with the entry schemas below), so that one bad entry or
 * an unknown slide type never costs the whole feed. Texts are plain data: the UI renders them as
 * text, never as HTML. Raw names never appear here; the server masks them.
 */

/** Slide types in the order a default playlist shows them. The UI skips types it does not know. */
export const SLIDE_TYPES = [
	'board-red',
	'board-black',
	'story',
	'merchants',
	'buildings',
	'earn-rules',
	'new-items'
] as const;
export type SlideType = (typeof SLIDE_TYPES)[number];

/** How the screen behaves during a day part: `calm` shows a quiet slide, `dim` darkens the screen. */
export const DAY_PART_MODES = ['normal', 'calm', 'dim'] as const;
export type DayPartMode = (typeof DAY_PART_MODES)[number];

export const SLIDE_SECONDS_MIN = 3;
export const SLIDE_SECONDS_MAX = 600;

/** Wall-clock time in the community's time zone, 'HH:MM' (00:00–23:59). */
export const ClockTimeSchema = v.pipe(
	v.string(),
	v.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM')
);
/** A quarter like '2026-Q4', in the community's time zone. */
export const QuarterSchema = v.pipe(v.string(), v.regex(/^\d{4}-Q[1-4]$/, 'quarter like 2026-Q4'));
export const StarsSchema = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5));

export const PlaylistSlideSchema = v.object({
	type: v.picklist(SLIDE_TYPES),
	seconds: v.pipe(
		v.number(),
		v.integer(),
		v.minValue(SLIDE_SECONDS_MIN),
		v.maxValue(SLIDE_SECONDS_MAX)
	)
});
export type PlaylistSlide = v.InferOutput<typeof PlaylistSlideSchema>;

/**
 * A part of the day with its mode. `to` is exclusive; a part whose `to` is earlier than its
 * `from` runs past midnight (22:00–06:00). Outside every part the mode is `normal`.
 */
export const DayPartSchema = v.object({
	from: ClockTimeSchema,
	to: ClockTimeSchema,
	mode: v.picklist(DAY_PART_MODES)
});
export type DayPart = v.InferOutput<typeof DayPartSchema>;

export const PlaylistSchema = v.object({
	/** In order; `story` means one slide per story, rotating through the stories. */
	slides: v.array(PlaylistSlideSchema),
	dayParts: v.array(DayPartSchema)
});
export type Playlist = v.InferOutput<typeof PlaylistSchema>;

/**
 * A resident or household honoured on the red board. `maskedName` is a person ('张*凤') or a
 * household ('李*家'); the building is its own field ('3栋').
 */
export const RedEntrySchema = v.object({
	maskedName: v.string(),
	building: v.string(),
	reason: v.string()
});
export type RedEntry = v.InferOutput<typeof RedEntrySchema>;

/** A misconduct on the black board: its category ('不文明养犬'), a masked name and the building only. */
export const BlackEntrySchema = v.object({
	category: v.string(),
	maskedName: v.string(),
	building: v.string()
});
export type BlackEntry = v.InferOutput<typeof BlackEntrySchema>;

/** The published board of the current quarter; unexpired entries only. */
export const BoardSchema = v.object({
	quarter: QuarterSchema,
	title: v.string(),
	red: v.array(RedEntrySchema),
	black: v.array(BlackEntrySchema)
});
export type Board = v.InferOutput<typeof BoardSchema>;

/** A 最美信用户 story inside its publish window. */
export const StorySchema = v.object({
	id: PositiveIdSchema,
	/** Building and masked household name, e.g. '3栋 李*家'. */
	householdName: v.string(),
	title: v.string(),
	/** Stored and sent whole (up to 10,000 characters); the UI clamps what it shows. */
	text: v.string(),
	/** On our own origin. */
	photoUrl: v.string(),
	/** Where residents can read more; the UI shows it as a QR code. */
	link: v.nullable(v.string())
});
export type Story = v.InferOutput<typeof StorySchema>;

/** A trusted merchant (诚信商户) or trusted building (诚信楼栋) with its stars. */
export const StarredPlaceSchema = v.object({
	id: PositiveIdSchema,
	name: v.string(),
	stars: StarsSchema,
	note: v.nullable(v.string())
});
export type StarredPlace = v.InferOutput<typeof StarredPlaceSchema>;

export const EarnRuleSchema = v.object({
	name: v.string(),
	points: PointsSchema
});
export type EarnRule = v.InferOutput<typeof EarnRuleSchema>;

export const NewItemSchema = v.object({
	id: PositiveIdSchema,
	name: v.string(),
	points: PointsSchema,
	/** On our own origin, or null when the item has no picture. */
	imageUrl: v.nullable(v.string())
});
export type NewItem = v.InferOutput<typeof NewItemSchema>;

export const DisplayCommunitySchema = v.object({
	id: PositiveIdSchema,
	name: v.string(),
	/** IANA name, e.g. 'Asia/Shanghai': clock, day parts and quarters are in this zone. */
	timeZone: v.string()
});
export type DisplayCommunity = v.InferOutput<typeof DisplayCommunitySchema>;

export const DisplayFeedSchema = v.object({
	/** Opaque; also the ETag. Changes whenever anything in the feed changes. */
	version: v.pipe(v.string(), v.minLength(1)),
	/** The server's clock when it built the feed (a display's own clock may be wrong). */
	generatedAt: IsoTimeSchema,
	community: DisplayCommunitySchema,
	playlist: PlaylistSchema,
	board: v.nullable(BoardSchema),
	stories: v.array(StorySchema),
	merchants: v.array(StarredPlaceSchema),
	buildings: v.array(StarredPlaceSchema),
	earnRules: v.array(EarnRuleSchema),
	newItems: v.array(NewItemSchema),
	links: v.object({
		/** Where residents learn more about the board; the UI shows a QR code when present. */
		board: v.nullable(v.string())
	})
});
export type DisplayFeed = v.InferOutput<typeof DisplayFeedSchema>;

/** `?since=<version>`: answered with 204 when the feed still has that version. */
export const DisplayFeedQuerySchema = v.object({
	since: v.optional(v.pipe(v.string(), v.maxLength(200)))
});
