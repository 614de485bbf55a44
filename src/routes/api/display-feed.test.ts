import type { RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { quarterOf } from '$lib/domain/quarter';
import { API_PATHS } from '$lib/protocol/api-paths';
import { DisplayFeedSchema } from '$lib/protocol/display-feed';
import { getDatabase } from '$lib/server/db/connection';
import { expectApiError, useTemporaryDataDir } from '$lib/server/testing/api-calls';
import { revokeDevice } from '$lib/server/devices/enrollment';
import { addBoardEntries, createBoard, createStory } from '$lib/server/display/content';
import { createNamedCommunity, type NamedCommunity } from '$lib/server/testing/display-fixtures';
import { enrollTestDevice } from '$lib/server/testing/fixtures';
import { GET as feedRoute } from './display/feed/+server';

/*
 * GET /api/display/feed as a lobby display meets it: the route handler called with real Request
 * objects against a real database in a temporary DATA_DIR.
 */

useTemporaryDataDir('credit-shop-display-api-');
let people: NamedCommunity;
let displayToken: string;
let kioskToken: string;

function getFeed(path: string, headers: Record<string, string> = {}): Promise<Response> {
	const request = new Request(new URL(path, 'http://display.test'), { headers });
	const event = { request, url: new URL(request.url) } as unknown as RequestEvent;
	return Promise.resolve(feedRoute(event));
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
	const db = await getDatabase();
	people = await createNamedCommunity(db, 'feed-api', { '2栋1单元301': ['赵丽娟'] });
	const boardId = await createBoard(db, {
		communityId: people.communityId,
		quarter: quarterOf(new Date()),
		status: 'published'
	});
	await addBoardEntries(db, boardId, [
		{ list: 'red', reason: '楼道清扫志愿者', residentId: people.residentIds['赵丽娟']! }
	]);
	displayToken = (await enrollTestDevice(db, people.communityId, 'display')).token;
	kioskToken = (await enrollTestDevice(db, people.communityId, 'kiosk')).token;
});

describe('GET /api/display/feed', () => {
	it('answers an enrolled display with the masked feed, uncached, with its version as ETag', async () => {
		const response = await getFeed(API_PATHS.displayFeed, bearer(displayToken));
		expect(response.status).toBe(200);
		expect(response.headers.get('cache-control')).toBe('no-store');
		const text = await response.text();
		expect(text).not.toContain('赵丽娟');
		const feed = v.parse(DisplayFeedSchema, JSON.parse(text));
		expect(response.headers.get('etag')).toBe(`"${feed.version}"`);
		expect(feed.community.name).toBe('feed-api社区');
		expect(feed.board?.red).toEqual([
			{ maskedName: '赵*娟', building: '2栋', reason: '楼道清扫志愿者' }
		]);
	});

	it('answers 204 without a body when the display already has the version, by ?since= or If-None-Match', async () => {
		const first = await getFeed(API_PATHS.displayFeed, bearer(displayToken));
		const { version } = (await first.json()) as { version: string };

		const since = await getFeed(API_PATHS.displayFeedSince(version), bearer(displayToken));
		expect(since.status).toBe(204);
		expect(await since.text()).toBe('');
		expect(since.headers.get('cache-control')).toBe('no-store');

		const etag = await getFeed(API_PATHS.displayFeed, {
			...bearer(displayToken),
			'if-none-match': `W/"${version}"`
		});
		expect(etag.status).toBe(204);

		const stale = await getFeed(
			API_PATHS.displayFeedSince('an-older-version'),
			bearer(displayToken)
		);
		expect(stale.status).toBe(200);
	});

	it('answers 200 with a new version once the content has changed', async () => {
		const first = await getFeed(API_PATHS.displayFeed, bearer(displayToken));
		const { version } = (await first.json()) as { version: string };
		await createStory(await getDatabase(), {
			communityId: people.communityId,
			householdId: people.householdIds['2栋1单元301']!,
			title: '新故事',
			text: '刚发布的故事',
			publishFrom: new Date(Date.now() - 60_000)
		});
		const next = await getFeed(API_PATHS.displayFeedSince(version), bearer(displayToken));
		expect(next.status).toBe(200);
		const feed = (await next.json()) as { version: string; stories: Array<{ title: string }> };
		expect(feed.version).not.toBe(version);
		expect(feed.stories.map((story) => story.title)).toEqual(['新故事']);
	});

	it('refuses a request with no token or a wrong token with 401', async () => {
		await expectApiError(await getFeed(API_PATHS.displayFeed), 401, 'unauthorized');
		await expectApiError(
			await getFeed(API_PATHS.displayFeed, bearer('not-a-real-token')),
			401,
			'unauthorized'
		);
	});

	it('refuses a kiosk token with 403: a counter terminal is not a lobby display', async () => {
		await expectApiError(
			await getFeed(API_PATHS.displayFeed, bearer(kioskToken)),
			403,
			'forbidden'
		);
	});

	it('refuses a revoked display with 401', async () => {
		const db = await getDatabase();
		const revoked = await enrollTestDevice(db, people.communityId, 'display');
		await revokeDevice(db, people.communityId, revoked.device.id);
		await expectApiError(
			await getFeed(API_PATHS.displayFeed, bearer(revoked.token)),
			401,
			'unauthorized'
		);
	});

	it('answers an overlong ?since= with 400', async () => {
		await expectApiError(
			await getFeed(API_PATHS.displayFeedSince('x'.repeat(500)), bearer(displayToken)),
			400,
			'bad_request'
		);
	});
});
