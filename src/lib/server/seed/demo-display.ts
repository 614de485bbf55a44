import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { DemoExtrasContext } from './demo';

/** Demo data for the lobby display: board, stories, merchants, buildings, playlist. Runs inside the demo seed's transaction. */
export async function seedDemoDisplay(
	db: Kysely<Database>,
	context: DemoExtrasContext
): Promise<void> {
	void db;
	void context;
}
