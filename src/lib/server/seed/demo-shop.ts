import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { DemoExtrasContext } from './demo';

/** Demo data for shop mode: staff cards and PINs. Runs inside the demo seed's transaction. */
export async function seedDemoShop(
	db: Kysely<Database>,
	context: DemoExtrasContext
): Promise<void> {
	void db;
	void context;
}
