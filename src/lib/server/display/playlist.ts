import * as v from 'valibot';
import { NIGHT_CALM_DAY_PARTS } from '$lib/domain/display-schedule';
import {
	DayPartSchema,
	PlaylistSlideSchema,
	SLIDE_TYPES,
	type DayPart,
	type Playlist,
	type PlaylistSlide
} from '$lib/protocol/display-feed';

/** What a community without its own playlist shows: every slide type, ten seconds each, calm at night. */
export const DEFAULT_PLAYLIST: Playlist = {
	slides: SLIDE_TYPES.map((type) => ({ type, seconds: 10 })),
	dayParts: [...NIGHT_CALM_DAY_PARTS]
};

function validEntries<T>(schema: v.GenericSchema<unknown, T>, json: string): T[] | null {
	let parsed: unknown;
	try {
		parsed = JSON.parse(json);
	} catch {
		return null;
	}
	if (!Array.isArray(parsed)) return null;
	return parsed.flatMap((entry) => {
		const result = v.safeParse(schema, entry);
		return result.success ? [result.output] : [];
	});
}

/**
 * A stored playlist as the feed carries it. A slide or day part that does not fit the protocol
 * is left out rather than failing the feed; a playlist left with no slide falls back to the default.
 */
export function playlistFromRow(row: { slides: string; day_parts: string } | undefined): Playlist {
	if (!row) return DEFAULT_PLAYLIST;
	const slides = validEntries<PlaylistSlide>(PlaylistSlideSchema, row.slides);
	const dayParts = validEntries<DayPart>(DayPartSchema, row.day_parts) ?? [];
	if (!slides || slides.length === 0) return { ...DEFAULT_PLAYLIST, dayParts };
	return { slides, dayParts };
}
