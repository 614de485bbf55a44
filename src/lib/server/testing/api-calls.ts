import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { closeDatabase } from '../db/connection';

/**
 * Points DATA_DIR at a fresh temporary folder for this test file, so that route handlers open a
 * real database of their own; closes and deletes it afterwards. Returns the folder.
 */
export function useTemporaryDataDir(prefix: string): string {
	const previousDataDir = process.env.DATA_DIR;
	const dataDir = mkdtempSync(join(tmpdir(), prefix));
	beforeAll(() => {
		process.env.DATA_DIR = dataDir;
	});
	afterAll(async () => {
		await closeDatabase(dataDir);
		rmSync(dataDir, { recursive: true, force: true });
		if (previousDataDir === undefined) delete process.env.DATA_DIR;
		else process.env.DATA_DIR = previousDataDir;
	});
	return dataDir;
}

/** Every API error is JSON `{ error, message }` with a Chinese message. */
export async function expectApiError(
	response: Response,
	status: number,
	error: string
): Promise<void> {
	expect(response.status).toBe(status);
	expect(response.headers.get('content-type')).toMatch(/application\/json/);
	const body = (await response.json()) as { error: string; message: string };
	expect(body.error).toBe(error);
	expect(body.message).toMatch(/\p{Script=Han}/u);
}
