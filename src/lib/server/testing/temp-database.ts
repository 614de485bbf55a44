import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { databaseFile, openMigratedDatabase } from '../db/connection';
import type { Database } from '../db/schema';

export interface TempDatabase {
	db: Kysely<Database>;
	dataDir: string;
	/** Closes the connection and deletes the folder. */
	dispose(): Promise<void>;
}

/** A real, migrated SQLite file in a fresh temporary folder, for tests and benchmarks. */
export async function openTempDatabase(prefix = 'credit-shop-test-'): Promise<TempDatabase> {
	const dataDir = mkdtempSync(join(tmpdir(), prefix));
	const db = await openMigratedDatabase(databaseFile(dataDir));
	return {
		db,
		dataDir,
		async dispose() {
			await db.destroy();
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
