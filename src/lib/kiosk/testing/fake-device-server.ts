/**
 * A unit-test double of the server's device API, over a `fetch` function: push applies events
 * once (answering `duplicate` with the first answer on replay), pull pages a change feed that
 * keeps one row per entity under a new seq. The real server is tested on its own and end to end.
 */
import * as v from 'valibot';
import { API_PATHS } from '$lib/protocol/api-paths';
import { RedemptionEventSchema } from '$lib/protocol/events';
import type {
	Change,
	CommunitySnapshot,
	ItemSnapshot,
	PullResponse,
	PushResponse,
	PushResult,
	ResidentSnapshot
} from '$lib/protocol/sync';
import { DEVICE_ID, DEVICE_TOKEN } from './kiosk-fixtures';

type Entity = Change['entity'];

export class FakeDeviceServer {
	token = DEVICE_TOKEN;
	/** Every call throws like a dead network. */
	offline = false;
	/** The next push is applied, but its answer is lost on the way back. */
	loseNextPushResponse = false;
	/** Every push answers this HTTP error status. */
	failPushStatus: number | null = null;
	/** Pull pages with these 0-based indexes (counting every pull call) fail with a 500. */
	failPullCalls = new Set<number>();
	clockSkewMs = 0;

	readonly residents = new Map<number, ResidentSnapshot>();
	readonly items = new Map<number, ItemSnapshot>();
	readonly answers = new Map<string, PushResult>();
	/** Ledger entries written by applied redemptions, one per event. */
	readonly ledger: { eventId: string; residentId: number; points: number }[] = [];
	readonly pushBatches: string[][] = [];
	pullCalls = 0;

	#seq = 0;
	readonly #feed = new Map<string, Change>();

	constructor(community: CommunitySnapshot) {
		this.#record({ seq: 0, entity: 'community', data: community });
	}

	#record(change: Change): number {
		this.#seq += 1;
		const key = `${change.entity}:${change.data.id}`;
		this.#feed.delete(key);
		this.#feed.set(key, { ...change, seq: this.#seq } as Change);
		return this.#seq;
	}

	putResident(resident: ResidentSnapshot): number {
		this.residents.set(resident.id, resident);
		return this.#record({ seq: 0, entity: 'resident', data: resident });
	}

	putItem(item: ItemSnapshot): number {
		this.items.set(item.id, item);
		return this.#record({ seq: 0, entity: 'item', data: item });
	}

	/** An office action: e.g. a penalty that lowers a balance. */
	adjustBalance(residentId: number, points: number): number {
		const resident = this.residents.get(residentId)!;
		return this.putResident({ ...resident, balance: resident.balance + points });
	}

	get seq(): number {
		return this.#seq;
	}

	changesOf(entity: Entity): number {
		return [...this.#feed.values()].filter((c) => c.entity === entity).length;
	}

	readonly fetch: typeof fetch = async (input, init) => {
		if (this.offline) throw new TypeError('fetch failed');
		const url = new URL(String(input), 'http://kiosk.test');
		const auth = new Headers(init?.headers).get('authorization');
		if (auth !== `Bearer ${this.token}`) {
			return json(401, { error: 'unauthorized', message: '设备未登记或已停用' });
		}
		if (url.pathname === API_PATHS.push && init?.method === 'POST') {
			if (this.failPushStatus !== null) {
				return json(this.failPushStatus, { error: 'server_error', message: 'push is broken' });
			}
			const body = JSON.parse(String(init.body)) as { events: unknown[] };
			const response = this.#push(body.events);
			if (this.loseNextPushResponse) {
				this.loseNextPushResponse = false;
				throw new TypeError('network connection lost');
			}
			return json(200, response);
		}
		if (url.pathname === '/api/sync/pull') {
			const call = this.pullCalls++;
			if (this.failPullCalls.has(call)) {
				return json(500, { error: 'server_error', message: 'boom' });
			}
			const after = Number(url.searchParams.get('after'));
			const limit = Number(url.searchParams.get('limit') ?? 1000);
			return json(200, this.#pull(after, limit));
		}
		return json(404, { error: 'not_found', message: 'no such API' });
	};

	#push(events: unknown[]): PushResponse {
		this.pushBatches.push(events.map((e) => (e as { id: string }).id));
		const results = events.map((raw) => this.#applyOne(raw));
		return { results, serverTime: new Date().toISOString(), clockSkewMs: this.clockSkewMs };
	}

	#applyOne(raw: unknown): PushResult {
		const id = (raw as { id: string }).id;
		const earlier = this.answers.get(id);
		if (earlier) {
			return earlier.status === 'rejected' ? earlier : { ...earlier, status: 'duplicate' };
		}
		const parsed = v.safeParse(RedemptionEventSchema, raw);
		let answer: PushResult;
		if (!parsed.success || parsed.output.deviceId !== DEVICE_ID) {
			answer = { id, status: 'rejected', reason: 'invalid_event', message: '事件格式不对' };
		} else {
			const { payload } = parsed.output;
			const resident = this.residents.get(payload.residentId);
			const unknownItem = payload.lines.some((line) => !this.items.has(line.itemId));
			if (!resident) {
				answer = { id, status: 'rejected', reason: 'unknown_resident', message: '没有这位居民' };
			} else if (unknownItem) {
				answer = { id, status: 'rejected', reason: 'unknown_item', message: '没有这件物品' };
			} else {
				this.ledger.push({ eventId: id, residentId: resident.id, points: -payload.totalPoints });
				const balance = resident.balance - payload.totalPoints;
				let seq = this.putResident({ ...resident, balance });
				for (const line of payload.lines) {
					const item = this.items.get(line.itemId)!;
					seq = this.putItem({ ...item, stock: item.stock - line.quantity });
				}
				answer = {
					id,
					status: 'applied',
					seq,
					...(balance < 0 ? { flagged: true, flags: ['overdrawn' as const] } : {})
				};
			}
		}
		this.answers.set(id, answer);
		return answer;
	}

	#pull(after: number, limit: number): PullResponse {
		const newer = [...this.#feed.values()]
			.filter((c) => c.seq > after)
			.sort((a, b) => a.seq - b.seq);
		const changes = newer.slice(0, limit);
		return {
			changes,
			cursor: changes.at(-1)?.seq ?? Math.max(after, 0),
			hasMore: newer.length > limit,
			serverTime: new Date().toISOString()
		};
	}
}

function json(status: number, body: unknown): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/json' }
	});
}
