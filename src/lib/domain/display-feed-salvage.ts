/**
 * Lenient reading of a display feed. The lobby TV must show something sensible for months with no
 * one watching it, so a feed is taken apart and checked one piece at a time: a bad story, a board
 * entry with a missing field or a slide type this build does not know is dropped, and the rest
 * is shown. Texts are cleaned and clamped to what a slide can show; image addresses that are not
 * ours become null (the slide shows its placeholder).
 *
 * Only something that is not a feed at all (not an object, or with neither a version nor a
 * community) is refused as a whole: the display then keeps the last good feed it has.
 */
import * as v from 'valibot';
import { DEFAULT_TIME_ZONE } from './business-date';
import {
	BlackEntrySchema,
	DayPartSchema,
	EarnRuleSchema,
	NewItemSchema,
	QuarterSchema,
	RedEntrySchema,
	SLIDE_SECONDS_MAX,
	SLIDE_SECONDS_MIN,
	SLIDE_TYPES,
	StarredPlaceSchema,
	StorySchema,
	type DayPart,
	type SlideType
} from '$lib/protocol/display-feed';
import { excerpt } from './display-text';

/** Characters each text may show; beyond that it becomes an excerpt with '…'. */
export const TEXT_LIMITS = {
	communityName: 20,
	boardTitle: 24,
	maskedName: 12,
	building: 10,
	reason: 20,
	category: 10,
	householdName: 16,
	storyTitle: 24,
	storyText: 150,
	placeName: 16,
	placeNote: 22,
	ruleName: 18,
	itemName: 16
} as const;

/** When a feed has no playlist, every type in the default order for this long. */
export const DEFAULT_SLIDE_SECONDS = 15;

export interface DisplayContent {
	/** '' when the feed had none: it is then fetched whole every time. */
	version: string;
	/** The server's clock when it built the feed, ISO; null when missing. */
	generatedAt: string | null;
	community: { name: string; timeZone: string };
	playlist: { slides: { type: SlideType; seconds: number }[]; dayParts: DayPart[] };
	board: null | {
		quarter: string | null;
		title: string;
		red: { maskedName: string; building: string; reason: string }[];
		black: { category: string; maskedName: string; building: string }[];
	};
	stories: {
		id: number;
		householdName: string;
		title: string;
		text: string;
		photoUrl: string | null;
		link: string | null;
	}[];
	merchants: StarredPlace[];
	buildings: StarredPlace[];
	earnRules: { name: string; points: number }[];
	newItems: { id: number; name: string; points: number; imageUrl: string | null }[];
	links: { board: string | null };
}

export interface StarredPlace {
	id: number;
	name: string;
	stars: number;
	note: string | null;
}

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, limit: number): string {
	return typeof value === 'string' ? excerpt(value, limit) : '';
}

function optionalText(value: unknown, limit: number): string | null {
	const shown = text(value, limit);
	return shown === '' ? null : shown;
}

/** Each element that passes `schema`, mapped; everything else is dropped. */
function salvageList<S extends v.GenericSchema, T>(
	value: unknown,
	schema: S,
	map: (entry: v.InferOutput<S>) => T
): T[] {
	if (!Array.isArray(value)) return [];
	const kept: T[] = [];
	for (const entry of value) {
		const parsed = v.safeParse(schema, entry);
		if (parsed.success) kept.push(map(parsed.output));
	}
	return kept;
}

/** Our own paths ('/demo/…') and http(s) addresses; anything else is not loaded. */
export function safeImageUrl(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const url = value.trim();
	if (url.startsWith('/') && !url.startsWith('//')) return url;
	return /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
}

/** A link for a QR code: http(s) only, and short enough for a code that scans from a step away. */
export function safeLink(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const url = value.trim();
	return /^https?:\/\/[^\s]+$/i.test(url) && url.length <= 300 ? url : null;
}

function validTimeZone(value: unknown): string {
	if (typeof value !== 'string' || value === '') return DEFAULT_TIME_ZONE;
	try {
		new Intl.DateTimeFormat('en', { timeZone: value });
		return value;
	} catch {
		return DEFAULT_TIME_ZONE;
	}
}

function salvageSlides(value: unknown): DisplayContent['playlist']['slides'] {
	if (!Array.isArray(value)) return [];
	const known = new Set<string>(SLIDE_TYPES);
	const slides: DisplayContent['playlist']['slides'] = [];
	for (const entry of value) {
		if (!isObject(entry) || typeof entry.type !== 'string' || !known.has(entry.type)) continue;
		const seconds =
			typeof entry.seconds === 'number' && Number.isFinite(entry.seconds)
				? Math.min(SLIDE_SECONDS_MAX, Math.max(SLIDE_SECONDS_MIN, Math.round(entry.seconds)))
				: DEFAULT_SLIDE_SECONDS;
		slides.push({ type: entry.type as SlideType, seconds });
	}
	return slides;
}

function salvagePlaylist(value: unknown): DisplayContent['playlist'] {
	if (!isObject(value)) {
		return {
			slides: SLIDE_TYPES.map((type) => ({ type, seconds: DEFAULT_SLIDE_SECONDS })),
			dayParts: []
		};
	}
	return {
		slides: salvageSlides(value.slides),
		dayParts: salvageList(value.dayParts, DayPartSchema, (part) => part)
	};
}

function salvageBoard(value: unknown): DisplayContent['board'] {
	if (!isObject(value)) return null;
	const quarter = v.safeParse(QuarterSchema, value.quarter);
	return {
		quarter: quarter.success ? quarter.output : null,
		title: text(value.title, TEXT_LIMITS.boardTitle),
		red: salvageList(value.red, RedEntrySchema, (entry) => ({
			maskedName: text(entry.maskedName, TEXT_LIMITS.maskedName),
			building: text(entry.building, TEXT_LIMITS.building),
			reason: text(entry.reason, TEXT_LIMITS.reason)
		})).filter((entry) => entry.maskedName !== ''),
		black: salvageList(value.black, BlackEntrySchema, (entry) => ({
			category: text(entry.category, TEXT_LIMITS.category),
			maskedName: text(entry.maskedName, TEXT_LIMITS.maskedName),
			building: text(entry.building, TEXT_LIMITS.building)
		})).filter((entry) => entry.category !== '')
	};
}

function salvagePlaces(value: unknown): StarredPlace[] {
	return salvageList(value, StarredPlaceSchema, (place) => ({
		id: place.id,
		name: text(place.name, TEXT_LIMITS.placeName),
		stars: place.stars,
		note: optionalText(place.note, TEXT_LIMITS.placeNote)
	})).filter((place) => place.name !== '');
}

/** The usable part of a feed, or null when `raw` is not a feed at all. */
export function salvageFeed(raw: unknown): DisplayContent | null {
	if (!isObject(raw)) return null;
	const version = typeof raw.version === 'string' ? raw.version.slice(0, 200) : '';
	const community = isObject(raw.community) ? raw.community : null;
	if (version === '' && community === null) return null;
	const generatedAt =
		typeof raw.generatedAt === 'string' && Number.isFinite(Date.parse(raw.generatedAt))
			? raw.generatedAt
			: null;
	const links = isObject(raw.links) ? raw.links : {};
	return {
		version,
		generatedAt,
		community: {
			name: text(community?.name, TEXT_LIMITS.communityName),
			timeZone: validTimeZone(community?.timeZone)
		},
		playlist: salvagePlaylist(raw.playlist),
		board: salvageBoard(raw.board),
		stories: salvageList(raw.stories, StorySchema, (story) => ({
			id: story.id,
			householdName: text(story.householdName, TEXT_LIMITS.householdName),
			title: text(story.title, TEXT_LIMITS.storyTitle),
			text: text(story.text, TEXT_LIMITS.storyText),
			photoUrl: safeImageUrl(story.photoUrl),
			link: safeLink(story.link)
		})).filter((story) => story.title !== '' || story.text !== ''),
		merchants: salvagePlaces(raw.merchants),
		buildings: salvagePlaces(raw.buildings),
		earnRules: salvageList(raw.earnRules, EarnRuleSchema, (rule) => ({
			name: text(rule.name, TEXT_LIMITS.ruleName),
			points: rule.points
		})).filter((rule) => rule.name !== ''),
		newItems: salvageList(raw.newItems, NewItemSchema, (item) => ({
			id: item.id,
			name: text(item.name, TEXT_LIMITS.itemName),
			points: item.points,
			imageUrl: safeImageUrl(item.imageUrl)
		})).filter((item) => item.name !== ''),
		links: { board: safeLink(links.board) }
	};
}

/** Every image a feed shows, to fetch into the cache while online. */
export function feedImageUrls(content: DisplayContent): string[] {
	const urls = [
		...content.stories.map((story) => story.photoUrl),
		...content.newItems.map((item) => item.imageUrl)
	];
	return [...new Set(urls.filter((url): url is string => url !== null))];
}
