import type { Kysely } from 'kysely';
import { PULL_PAGE_DEFAULT, PULL_PAGE_MAX } from '$lib/protocol/limits';
import type { Change, PullResponse } from '$lib/protocol/sync';
import type { Database } from '../db/schema';

type ChangeRow = { seq: number; entity: Change['entity']; data: string };

function toChange(row: ChangeRow): Change {
	// The data was written from the protocol's own snapshot types (change-feed.ts).
	return { seq: row.seq, entity: row.entity, data: JSON.parse(row.data) } as Change;
}

export function pullPageSize(requested: number | undefined): number {
	if (requested === undefined || requested < 1) return PULL_PAGE_DEFAULT;
	return Math.min(requested, PULL_PAGE_MAX);
}

/**
 * One page of a community's change feed after `after`, in sequence order. A first pull
 * (`after` = 0) starts with the community itself, so a device has the public key and the offline
 * limits before any resident.
 */
export async function readChangePage(
	db: Kysely<Database>,
	communityId: number,
	after: number,
	requestedLimit?: number,
	now: Date = new Date()
): Promise<PullResponse> {
	const limit = pullPageSize(requestedLimit);
	const rows = await db
		.selectFrom('changes')
		.select(['seq', 'entity', 'data'])
		.where('community_id', '=', communityId)
		.where('seq', '>', after)
		.orderBy('seq')
		.limit(limit + 1)
		.execute();
	const hasMore = rows.length > limit;
	const page = hasMore ? rows.slice(0, limit) : rows;
	const changes = page.map(toChange);
	if (after === 0) {
		const index = changes.findIndex((change) => change.entity === 'community');
		if (index > 0) changes.unshift(...changes.splice(index, 1));
		if (index < 0) {
			const community = await db
				.selectFrom('changes')
				.select(['seq', 'entity', 'data'])
				.where('community_id', '=', communityId)
				.where('entity', '=', 'community')
				.where('entity_id', '=', communityId)
				.executeTakeFirst();
			if (community) changes.unshift(toChange(community));
		}
	}
	return {
		changes,
		cursor: page.length > 0 ? page[page.length - 1]!.seq : after,
		hasMore,
		serverTime: now.toISOString()
	};
}
