/**
 * The one way a device calls the server's device API: fetch with the device token, a timeout on
 * every call, answers parsed with the protocol schemas, and failures as typed errors.
 */
import * as v from 'valibot';
import { API_PATHS } from '$lib/protocol/api-paths';
import {
	EnrollResponseSchema,
	type EnrollRequest,
	type EnrollResponse
} from '$lib/protocol/devices';
import { ApiErrorSchema } from '$lib/protocol/errors';
import {
	ResidentHistoryResponseSchema,
	type ResidentHistoryResponse
} from '$lib/protocol/resident-history';
import {
	PullResponseSchema,
	PushResponseSchema,
	type PullResponse,
	type PushRequest,
	type PushResponse
} from '$lib/protocol/sync';

export type ApiFailure =
	/** The server could not be reached (offline, DNS, refused, timed out). */
	| { kind: 'network'; message: string }
	/** 401: no token, a wrong one, or a revoked device. */
	| { kind: 'unauthorized'; code: string; message: string }
	/** Any other answer that is not 2xx; `code` is the API error code when the body had one. */
	| { kind: 'http'; status: number; code: string; message: string }
	/** 2xx, but the body does not match the protocol. */
	| { kind: 'invalid_response'; message: string };

export class ApiError extends Error {
	constructor(readonly failure: ApiFailure) {
		super(failure.message);
		this.name = 'ApiError';
	}

	get kind(): ApiFailure['kind'] {
		return this.failure.kind;
	}
}

export interface ApiClientOptions {
	/** Prefix of every URL; '' (same origin) in the browser, 'http://127.0.0.1:PORT' in Node. */
	baseUrl?: string;
	/** Defaults to the global fetch; tests pass a fake server. */
	fetch?: typeof fetch;
	/** Per call; pull pages of a first sync can be large. */
	timeoutMs?: number;
}

export const DEFAULT_API_TIMEOUT_MS = 20_000;

export class ApiClient {
	readonly #baseUrl: string;
	readonly #fetch: typeof fetch;
	readonly #timeoutMs: number;

	constructor(options: ApiClientOptions = {}) {
		this.#baseUrl = options.baseUrl ?? '';
		// Bound so a global fetch keeps its `this` (some browsers throw "Illegal invocation").
		this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
		this.#timeoutMs = options.timeoutMs ?? DEFAULT_API_TIMEOUT_MS;
	}

	enroll(request: EnrollRequest): Promise<EnrollResponse> {
		return this.#call(API_PATHS.enroll, { method: 'POST', body: request }, EnrollResponseSchema);
	}

	push(token: string, request: PushRequest): Promise<PushResponse> {
		return this.#call(API_PATHS.push, { method: 'POST', body: request, token }, PushResponseSchema);
	}

	pull(token: string, after: number, limit?: number): Promise<PullResponse> {
		return this.#call(API_PATHS.pull(after, limit), { method: 'GET', token }, PullResponseSchema);
	}

	/** 我的积分记录: the scanned card's resident's last entries (the card's text proves who). */
	residentHistory(token: string, credential: string): Promise<ResidentHistoryResponse> {
		return this.#call(
			API_PATHS.residentHistory,
			{ method: 'POST', body: { credential }, token },
			ResidentHistoryResponseSchema
		);
	}

	/**
	 * The lobby display's feed. The body comes back unparsed: the display reads it leniently, one
	 * entry at a time (`salvageFeed`), so one bad entry never costs the whole feed. `serverDate` is
	 * the answer's Date header, for a display whose own clock is wrong.
	 */
	async displayFeed(token: string, since: string | null): Promise<DisplayFeedAnswer> {
		const path = API_PATHS.displayFeed + (since ? `?since=${encodeURIComponent(since)}` : '');
		const response = await this.#send(path, { method: 'GET', token });
		const dateHeader = response.headers.get('date');
		const serverDate = dateHeader && Number.isFinite(Date.parse(dateHeader)) ? dateHeader : null;
		if (response.status === 204 || response.status === 304) {
			return { changed: false, serverDate };
		}
		const body = await this.#readJson(response);
		if (!response.ok) this.#fail(response, body);
		return { changed: true, body, serverDate };
	}

	async #call<Schema extends v.GenericSchema>(
		path: string,
		request: { method: 'GET' | 'POST'; body?: unknown; token?: string },
		schema: Schema
	): Promise<v.InferOutput<Schema>> {
		const response = await this.#send(path, request);
		const body = await this.#readJson(response);
		if (!response.ok) this.#fail(response, body);
		const parsed = v.safeParse(schema, body);
		if (!parsed.success) {
			throw new ApiError({
				kind: 'invalid_response',
				message: v.summarize(parsed.issues).slice(0, 300)
			});
		}
		return parsed.output;
	}

	async #send(
		path: string,
		request: { method: 'GET' | 'POST'; body?: unknown; token?: string }
	): Promise<Response> {
		const headers: Record<string, string> = { accept: 'application/json' };
		if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
		if (request.body !== undefined) headers['content-type'] = 'application/json';
		try {
			return await this.#fetch(this.#baseUrl + path, {
				method: request.method,
				headers,
				body: request.body === undefined ? undefined : JSON.stringify(request.body),
				signal: AbortSignal.timeout(this.#timeoutMs),
				cache: 'no-store'
			});
		} catch (error) {
			const timedOut = error instanceof Error && error.name === 'TimeoutError';
			throw new ApiError({
				kind: 'network',
				message: timedOut ? 'request timed out' : String((error as Error)?.message ?? error)
			});
		}
	}

	async #readJson(response: Response): Promise<unknown> {
		try {
			return await response.json();
		} catch (error) {
			// A body that stops arriving (a hung server) ends with the request's timeout.
			if (error instanceof Error && error.name === 'TimeoutError') {
				throw new ApiError({ kind: 'network', message: 'request timed out' });
			}
			return undefined;
		}
	}

	#fail(response: Response, body: unknown): never {
		const apiError = v.safeParse(ApiErrorSchema, body);
		const code = apiError.success ? apiError.output.error : 'unknown';
		const message = apiError.success ? apiError.output.message : response.statusText;
		if (response.status === 401) throw new ApiError({ kind: 'unauthorized', code, message });
		throw new ApiError({ kind: 'http', status: response.status, code, message });
	}
}

export type DisplayFeedAnswer =
	| { changed: false; serverDate: string | null }
	| { changed: true; body: unknown; serverDate: string | null };
