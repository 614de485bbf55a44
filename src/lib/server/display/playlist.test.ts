import { describe, expect, it } from 'vitest';
import { SLIDE_TYPES } from '$lib/protocol/display-feed';
import { DEFAULT_PLAYLIST, playlistFromRow } from './playlist';

const row = (slides: unknown, dayParts: unknown = []) => ({
	slides: typeof slides === 'string' ? slides : JSON.stringify(slides),
	day_parts: typeof dayParts === 'string' ? dayParts : JSON.stringify(dayParts)
});

describe('playlistFromRow', () => {
	it('gives a community without a playlist every slide type, ten seconds each', () => {
		expect(playlistFromRow(undefined)).toEqual(DEFAULT_PLAYLIST);
		expect(DEFAULT_PLAYLIST.slides.map((slide) => slide.type)).toEqual([...SLIDE_TYPES]);
		expect(DEFAULT_PLAYLIST.slides.every((slide) => slide.seconds === 10)).toBe(true);
	});

	it('keeps a stored playlist as it is', () => {
		const slides = [
			{ type: 'story', seconds: 12 },
			{ type: 'board-red', seconds: 15 }
		];
		const dayParts = [{ from: '22:00', to: '06:00', mode: 'dim' }];
		expect(playlistFromRow(row(slides, dayParts))).toEqual({ slides, dayParts });
	});

	it('leaves out a slide of an unknown type or an impossible length, keeping the rest', () => {
		const playlist = playlistFromRow(
			row(
				[
					{ type: 'weather', seconds: 10 },
					{ type: 'story', seconds: 1 },
					{ type: 'story', seconds: 601 },
					{ type: 'merchants', seconds: 9.5 },
					{ type: 'buildings', seconds: 10 }
				],
				[
					{ from: '25:00', to: '06:00', mode: 'dim' },
					{ from: '20:00', to: '22:00', mode: 'party' },
					{ from: '06:00', to: '08:00', mode: 'calm' }
				]
			)
		);
		expect(playlist).toEqual({
			slides: [{ type: 'buildings', seconds: 10 }],
			dayParts: [{ from: '06:00', to: '08:00', mode: 'calm' }]
		});
	});

	it('falls back to the default slides when nothing usable is stored, keeping the day parts', () => {
		const dim = [{ from: '22:00', to: '06:00', mode: 'dim' }];
		expect(playlistFromRow(row('not json', dim))).toEqual({ ...DEFAULT_PLAYLIST, dayParts: dim });
		expect(playlistFromRow(row([], dim)).slides).toEqual(DEFAULT_PLAYLIST.slides);
		expect(playlistFromRow(row({ slides: 'oops' }, '{')).dayParts).toEqual([]);
	});
});
