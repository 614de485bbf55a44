import { describe, expect, it } from 'vitest';
import {
	CALM_SLIDE_SECONDS,
	MAX_FRAMES_PER_TURN,
	NIGHT_CALM_DAY_PARTS,
	ROTATION_START,
	dayModeAt,
	minutesOfDay,
	parseClockTime,
	scheduleNext,
	slideDurationMs,
	type DayPart,
	type PlaylistSlide,
	type RotationState,
	type ScheduleInput
} from './display-schedule';

const SHANGHAI = 'Asia/Shanghai';
/** 2026-11-22 at hh:mm in Shanghai (UTC+8, no daylight saving). */
function shanghai(hhmm: string): Date {
	return new Date(`2026-11-22T${hhmm}:00+08:00`);
}

const NIGHT: DayPart[] = [
	{ from: '22:00', to: '06:00', mode: 'dim' },
	{ from: '12:00', to: '13:30', mode: 'calm' }
];

describe('day parts', () => {
	it('reads HH:MM times and refuses anything else', () => {
		expect(parseClockTime('00:00')).toBe(0);
		expect(parseClockTime('06:30')).toBe(390);
		expect(parseClockTime('23:59')).toBe(1439);
		expect(parseClockTime('24:00')).toBe(1440);
		for (const bad of ['24:01', '7:00', '12:60', '', 'noon', '12:00:00']) {
			expect(parseClockTime(bad)).toBeNull();
		}
	});

	it('takes the wall clock of the community time zone, not the device zone', () => {
		const at = new Date('2026-11-22T15:30:00Z');
		expect(minutesOfDay(at, SHANGHAI)).toBe(23 * 60 + 30);
		expect(minutesOfDay(at, 'UTC')).toBe(15 * 60 + 30);
		expect(minutesOfDay(at, 'Not/AZone')).toBe(23 * 60 + 30);
	});

	it('dims through a night part that crosses midnight, on both sides of it', () => {
		expect(dayModeAt(NIGHT, shanghai('21:59'), SHANGHAI)).toBe('normal');
		expect(dayModeAt(NIGHT, shanghai('22:00'), SHANGHAI)).toBe('dim');
		expect(dayModeAt(NIGHT, shanghai('23:59'), SHANGHAI)).toBe('dim');
		expect(dayModeAt(NIGHT, shanghai('00:00'), SHANGHAI)).toBe('dim');
		expect(dayModeAt(NIGHT, shanghai('05:59'), SHANGHAI)).toBe('dim');
		expect(dayModeAt(NIGHT, shanghai('06:00'), SHANGHAI)).toBe('normal');
	});

	it('is calm inside a calm part and normal outside every part', () => {
		expect(dayModeAt(NIGHT, shanghai('12:00'), SHANGHAI)).toBe('calm');
		expect(dayModeAt(NIGHT, shanghai('13:29'), SHANGHAI)).toBe('calm');
		expect(dayModeAt(NIGHT, shanghai('13:30'), SHANGHAI)).toBe('normal');
		expect(dayModeAt([], shanghai('03:00'), SHANGHAI)).toBe('normal');
	});

	it('lets the first matching part win and ignores parts with unreadable times', () => {
		const parts: DayPart[] = [
			{ from: '25:00', to: '06:00', mode: 'calm' },
			{ from: '20:00', to: '23:00', mode: 'dim' },
			{ from: '21:00', to: '22:00', mode: 'calm' }
		];
		expect(dayModeAt(parts, shanghai('21:30'), SHANGHAI)).toBe('dim');
		expect(dayModeAt(parts, shanghai('03:00'), SHANGHAI)).toBe('normal');
	});

	it('shows the rotation in the lobby’s busy hours and the calm slide only at night by default', () => {
		const modeAt = (hhmm: string) => dayModeAt(NIGHT_CALM_DAY_PARTS, shanghai(hhmm), SHANGHAI);
		for (const busy of ['06:00', '07:30', '12:00', '20:00', '21:59']) {
			expect(modeAt(busy), busy).toBe('normal');
		}
		for (const night of ['22:00', '23:30', '00:00', '03:00', '05:59']) {
			expect(modeAt(night), night).toBe('calm');
		}
	});

	it('treats a part from a time to the same time as the whole day', () => {
		const allDay: DayPart[] = [{ from: '00:00', to: '00:00', mode: 'dim' }];
		expect(dayModeAt(allDay, shanghai('15:00'), SHANGHAI)).toBe('dim');
	});
});

describe('slide durations', () => {
	it('keeps the playlist seconds within 3 to 600', () => {
		expect(slideDurationMs(15)).toBe(15_000);
		expect(slideDurationMs(1)).toBe(3_000);
		expect(slideDurationMs(100_000)).toBe(600_000);
		expect(slideDurationMs(Number.NaN)).toBe(3_000);
	});

	it('divides by the test speed but never below the time a cross-fade needs', () => {
		expect(slideDurationMs(15, 10)).toBe(1_500);
		expect(slideDurationMs(3, 1000)).toBe(150);
		expect(slideDurationMs(15, 0)).toBe(15_000);
		expect(slideDurationMs(15, -2)).toBe(15_000);
	});
});

describe('scheduleNext', () => {
	const PLAYLIST: PlaylistSlide[] = [
		{ type: 'board-red', seconds: 20 },
		{ type: 'story', seconds: 15 },
		{ type: 'merchants', seconds: 10 },
		{ type: 'weather', seconds: 10 },
		{ type: 'story', seconds: 15 },
		{ type: 'new-items', seconds: 12 }
	];
	const FRAMES: Record<string, number> = { 'board-red': 2, story: 3, merchants: 1, 'new-items': 0 };

	function run(count: number, overrides: Partial<ScheduleInput> = {}) {
		let state: RotationState = ROTATION_START;
		const shown: string[] = [];
		for (let i = 0; i < count; i++) {
			const next = scheduleNext({
				slides: PLAYLIST,
				dayParts: [],
				timeZone: SHANGHAI,
				now: shanghai('10:00'),
				framesOf: (type) => FRAMES[type] ?? 0,
				state,
				...overrides
			});
			state = next.state;
			const { slide } = next;
			shown.push(slide.kind === 'calm' ? 'calm' : `${slide.type}:${slide.frame}`);
		}
		return shown;
	}

	it('plays the slides in order, every board page, one story per turn, skipping unknown and empty types', () => {
		expect(run(10)).toEqual([
			'board-red:0',
			'board-red:1',
			'story:0',
			'merchants:0',
			'story:1',
			'board-red:0',
			'board-red:1',
			'story:2',
			'merchants:0',
			'story:0'
		]);
	});

	it('gives each slide its own seconds, at the test speed', () => {
		const first = scheduleNext({
			slides: PLAYLIST,
			dayParts: [],
			timeZone: SHANGHAI,
			now: shanghai('10:00'),
			framesOf: (type) => FRAMES[type] ?? 0,
			state: ROTATION_START,
			speed: 4
		});
		expect(first.slide).toMatchObject({ kind: 'content', type: 'board-red', durationMs: 5_000 });
	});

	it('shows only the calm slide in a calm part, and dims the rotation in a dim part', () => {
		const calm = run(3, { dayParts: NIGHT, now: shanghai('12:30') });
		expect(calm).toEqual(['calm', 'calm', 'calm']);
		const night = scheduleNext({
			slides: PLAYLIST,
			dayParts: NIGHT,
			timeZone: SHANGHAI,
			now: shanghai('23:00'),
			framesOf: (type) => FRAMES[type] ?? 0,
			state: ROTATION_START
		});
		expect(night.slide).toMatchObject({ kind: 'content', type: 'board-red', mode: 'dim' });
		const calmSlide = scheduleNext({
			slides: PLAYLIST,
			dayParts: NIGHT,
			timeZone: SHANGHAI,
			now: shanghai('12:30'),
			framesOf: () => 1,
			state: ROTATION_START
		}).slide;
		expect(calmSlide).toEqual({
			kind: 'calm',
			mode: 'calm',
			durationMs: CALM_SLIDE_SECONDS * 1000
		});
	});

	it('falls back to the calm slide when nothing in the playlist has content', () => {
		expect(run(2, { framesOf: () => 0 })).toEqual(['calm', 'calm']);
		expect(run(2, { slides: [] })).toEqual(['calm', 'calm']);
		expect(run(2, { slides: [{ type: 'weather', seconds: 10 }] })).toEqual(['calm', 'calm']);
	});

	it('keeps showing a single one-frame slide', () => {
		expect(run(3, { slides: [{ type: 'merchants', seconds: 10 }] })).toEqual([
			'merchants:0',
			'merchants:0',
			'merchants:0'
		]);
	});

	it('shows a long board a few pages per turn and carries on from there the next turn', () => {
		const slides: PlaylistSlide[] = [
			{ type: 'board-black', seconds: 10 },
			{ type: 'merchants', seconds: 10 }
		];
		const shown = run(2 * (MAX_FRAMES_PER_TURN + 1), {
			slides,
			framesOf: (type) => (type === 'board-black' ? 63 : 1)
		});
		const firstTurn = Array.from({ length: MAX_FRAMES_PER_TURN }, (_, i) => `board-black:${i}`);
		const secondTurn = Array.from(
			{ length: MAX_FRAMES_PER_TURN },
			(_, i) => `board-black:${i + MAX_FRAMES_PER_TURN}`
		);
		expect(shown).toEqual([...firstTurn, 'merchants:0', ...secondTurn, 'merchants:0']);
	});

	it('survives content shrinking between two slides (new feed at a slide boundary)', () => {
		let state: RotationState = ROTATION_START;
		let frames: Record<string, number> = { story: 5 };
		const slides: PlaylistSlide[] = [{ type: 'story', seconds: 10 }];
		const shown: number[] = [];
		for (let i = 0; i < 6; i++) {
			if (i === 4) frames = { story: 2 };
			const next = scheduleNext({
				slides,
				dayParts: [],
				timeZone: SHANGHAI,
				now: shanghai('10:00'),
				framesOf: (type) => frames[type] ?? 0,
				state
			});
			state = next.state;
			if (next.slide.kind === 'content') {
				expect(next.slide.frame).toBeLessThan(next.slide.frames);
				shown.push(next.slide.frame);
			}
		}
		expect(shown).toEqual([0, 1, 2, 3, 0, 1]);
	});

	it('copes with a playlist that got shorter than the slot it was at', () => {
		const state: RotationState = { slot: 7, shownThisTurn: 1, nextFrame: {} };
		const next = scheduleNext({
			slides: [{ type: 'merchants', seconds: 10 }],
			dayParts: [],
			timeZone: SHANGHAI,
			now: shanghai('10:00'),
			framesOf: () => 1,
			state
		});
		expect(next.slide).toMatchObject({ kind: 'content', type: 'merchants', frame: 0 });
	});
});
