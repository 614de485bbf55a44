import { json, type RequestEvent, type RequestHandler } from '@sveltejs/kit';
import * as v from 'valibot';
import type { ApiError, ApiErrorCode } from '$lib/protocol/errors';
import { isStorageFull } from '../db/connection';

/** The Chinese text shown when nothing more specific is known. */
export const DEFAULT_ERROR_MESSAGES: Record<ApiErrorCode, string> = {
	bad_request: '请求不正确',
	invalid_json: '请求内容不是有效的 JSON',
	invalid_body: '请求内容不符合要求',
	body_too_large: '请求内容太大',
	unsupported_media_type: '请求内容必须是 JSON（Content-Type: application/json）',
	unauthorized: '设备未登记或登记已失效，请重新登记',
	forbidden: '没有权限进行这个操作',
	not_found: '找不到请求的地址',
	invalid_code: '登记码无效',
	invalid_card: '这张积分卡不能使用',
	rate_limited: '尝试次数过多，请稍后再试',
	storage_full: '服务器存储空间已满，请联系管理员；终端上的记录会保留并自动重试',
	server_error: '服务器出错了，请稍后再试'
};

export const STATUS_OF_ERROR: Record<ApiErrorCode, number> = {
	bad_request: 400,
	invalid_json: 400,
	invalid_body: 400,
	body_too_large: 413,
	unsupported_media_type: 415,
	unauthorized: 401,
	forbidden: 403,
	not_found: 404,
	invalid_code: 400,
	invalid_card: 403,
	rate_limited: 429,
	storage_full: 507,
	server_error: 500
};

/** Thrown inside API handlers; `apiHandler` turns it into the JSON error answer. */
export class ApiFailure extends Error {
	constructor(
		readonly code: ApiErrorCode,
		message: string = DEFAULT_ERROR_MESSAGES[code],
		readonly status: number = STATUS_OF_ERROR[code]
	) {
		super(message);
	}
}

export function apiErrorResponse(
	code: ApiErrorCode,
	message: string = DEFAULT_ERROR_MESSAGES[code],
	status: number = STATUS_OF_ERROR[code]
): Response {
	const body: ApiError = { error: code, message };
	const headers: Record<string, string> = { 'cache-control': 'no-store' };
	if (status === 401) headers['www-authenticate'] = 'Bearer';
	return json(body, { status, headers });
}

/** Wraps an API handler so that every failure answers `{ error, message }` with its status. */
export function apiHandler(handler: (event: RequestEvent) => Promise<Response>): RequestHandler {
	return async (event) => {
		try {
			return await handler(event);
		} catch (error) {
			if (error instanceof ApiFailure)
				return apiErrorResponse(error.code, error.message, error.status);
			console.error(`API ${event.request.method} ${event.url.pathname} failed`, error);
			return apiErrorResponse(isStorageFull(error) ? 'storage_full' : 'server_error');
		}
	};
}

/** How far past the limit a body is read (and dropped) before the connection is cut. */
const DRAIN_LIMIT_FACTOR = 8;

function tooLarge(maxBytes: number): ApiFailure {
	return new ApiFailure('body_too_large', `请求内容超过 ${Math.floor(maxBytes / 1000)} KB 的上限`);
}

/**
 * Reads a JSON body of at most `maxBytes`, sent as application/json. The declared length is checked first, and the bytes
 * are counted while reading, because a chunked body declares nothing.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
	const mediaType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
	if (mediaType !== 'application/json') throw new ApiFailure('unsupported_media_type');
	const declared = Number(request.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
	const chunks: Uint8Array[] = [];
	let size = 0;
	if (request.body) {
		const reader = request.body.getReader();
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (done) break;
				size += value.byteLength;
				// Past the limit, keep reading and dropping: a client that is still sending only
				// sees our answer if we let it finish (cancelling resets the connection).
				if (size > maxBytes) {
					chunks.length = 0;
					if (size > DRAIN_LIMIT_FACTOR * maxBytes) {
						await reader.cancel();
						throw tooLarge(maxBytes);
					}
					continue;
				}
				chunks.push(value);
			}
			if (size > maxBytes) throw tooLarge(maxBytes);
		} catch (error) {
			if (error instanceof ApiFailure) throw error;
			// adapter-node ends the stream with a 413 when the body passes BODY_SIZE_LIMIT.
			if ((error as { status?: number } | null)?.status === 413) throw tooLarge(maxBytes);
			throw new ApiFailure('bad_request', '读取请求内容失败');
		}
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
	} catch {
		throw new ApiFailure('invalid_json', '请求内容不是有效的 UTF-8 文本');
	}
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new ApiFailure('invalid_json');
	}
}

/** Validates with a protocol schema; a mismatch is `invalid_body` with the first problem. */
export function parseWith<const TSchema extends v.GenericSchema>(
	schema: TSchema,
	value: unknown
): v.InferOutput<TSchema> {
	const result = v.safeParse(schema, value);
	if (result.success) return result.output;
	const issue = result.issues[0];
	const path = issue ? v.getDotPath(issue) : null;
	throw new ApiFailure(
		'invalid_body',
		`请求内容不符合要求${path ? `（${path}）` : ''}：${issue?.message ?? ''}`.slice(0, 300)
	);
}
