import { createHash, randomBytes } from 'node:crypto';

/** A device token: 32 random bytes, base64url. The server keeps only its sha256. */
export function newDeviceToken(): string {
	return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** The token from an `Authorization: Bearer …` header, or null. */
export function bearerToken(authorization: string | null): string | null {
	const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/.exec(authorization ?? '');
	return match ? match[1]! : null;
}
