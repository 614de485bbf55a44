/**
 * Enrolling a terminal (a counter kiosk or a lobby display) with a one-time code: typed as
 * 1234-5678 or scanned as `CSENROLL:12345678`. This module reads the code, asks the server and
 * words its refusals; each app keeps the answer in its own database (`kiosk/kiosk-enrollment.ts`,
 * `display/display-app.svelte.ts`).
 */
import {
	ENROLL_CODE_PATTERN,
	ENROLL_QR_PREFIX,
	normalizeEnrollCode,
	type DeviceKind,
	type EnrollResponse
} from '$lib/protocol/devices';
import type { CommunitySnapshot } from '$lib/protocol/sync';
import { ApiError, type ApiClient } from './api-client';

/** The terminal's identity as the server gave it at enrollment. */
export interface DeviceIdentity {
	deviceId: string;
	token: string;
	kind: DeviceKind;
	/** The name the office gave it (absent on kiosks enrolled before shop mode). */
	name?: string;
}

export type EnrollProblem = 'invalid_code' | 'rate_limited' | 'network' | 'server';

export type EnrollResult =
	| { ok: true; deviceId: string; community: CommunitySnapshot }
	| { ok: false; reason: EnrollProblem; message: string };

export const ENROLL_MESSAGES: Record<EnrollProblem, string> = {
	invalid_code: '登记码不正确或已经用过，请向社区办公室要一个新的登记码。',
	rate_limited: '尝试次数太多，请过几分钟再试。',
	network: '连不上服务器，请检查网络后再试。',
	server: '服务器暂时出了问题，请稍后再试。'
};

/** The 8 digits of a typed or scanned enrollment code, or null when it is not one. */
export function parseEnrollCode(text: string): string | null {
	let code = text.trim();
	if (code.toUpperCase().startsWith(ENROLL_QR_PREFIX)) code = code.slice(ENROLL_QR_PREFIX.length);
	code = code.trim();
	if (!ENROLL_CODE_PATTERN.test(code)) return null;
	return normalizeEnrollCode(code);
}

export function isEnrollQr(text: string): boolean {
	return text.trim().toUpperCase().startsWith(ENROLL_QR_PREFIX);
}

function failure(reason: EnrollProblem): Extract<EnrollResult, { ok: false }> {
	return { ok: false, reason, message: ENROLL_MESSAGES[reason] };
}

/**
 * The server half of enrolling: checks the code and asks the server for a token. Every kind of
 * device uses it; each then keeps the answer in its own database.
 */
export async function requestEnrollment(
	api: ApiClient,
	codeText: string,
	kind: DeviceKind,
	name?: string
): Promise<{ ok: true; response: EnrollResponse } | Extract<EnrollResult, { ok: false }>> {
	const code = parseEnrollCode(codeText);
	if (!code) return failure('invalid_code');
	try {
		return { ok: true, response: await api.enroll({ code, kind, ...(name ? { name } : {}) }) };
	} catch (error) {
		if (!(error instanceof ApiError)) throw error;
		const { failure: f } = error;
		if (f.kind === 'network') return failure('network');
		if (f.kind === 'unauthorized') return failure('invalid_code');
		if (f.kind === 'http' && (f.status === 429 || f.code === 'rate_limited')) {
			return failure('rate_limited');
		}
		if (f.kind === 'http' && f.status < 500) return failure('invalid_code');
		return failure('server');
	}
}
