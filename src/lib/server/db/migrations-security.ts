import { sql } from 'kysely';
import type { AnyDb } from './migrations';

/*
 * Hardening after a hostile test run (issue 12 §2):
 *
 * - `installation`: facts about the database as a whole. `attempt_key_secret` keys failed logins
 *   by password (auth/attempts.ts). `mode = 'demo'` marks a database that
 *   `npm run demo` seeded, so that a real start refuses to serve its published passwords and card
 *   sheet. A demo database made before this migration is recognised by its two demo communities.
 * - `received_events.device_seq`: a device numbers its events 1, 2, 3…; two different events with
 *   one number cannot both be true, and the database refuses the second.
 * - `received_events.warning`: what was odd about an applied event (a clock far off, a business
 *   day far from the event's time), kept for the office to review.
 * - One ledger entry per event and resident, enforced by the database: a redemption or a void
 *   writes one entry for its resident; an office batch may write one entry for each of several
 *   residents. Entries without an event (opening balances) are not concerned (NULLs differ).
 */
export async function createSecuritySchema(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('installation')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.execute();
	// A demo database from before the marker: the demo seed's two communities (their slugs as
	// seed/demo.ts wrote them: literals, because migrations do not follow today's code).
	await sql`insert into installation (key, value)
		select 'mode', 'demo'
		where exists (select 1 from communities where slug = 'xingfuli')
		and exists (select 1 from communities where slug = 'hepingli')`.execute(db);

	// The secret that keys failed logins by password without keeping the password (auth/attempts.ts).
	await sql`insert into installation (key, value)
		values ('attempt_key_secret', lower(hex(randomblob(32))))`.execute(db);

	await db.schema.alterTable('received_events').addColumn('device_seq', 'integer').execute();
	await db.schema.alterTable('received_events').addColumn('warning', 'text').execute();
	await db.schema
		.createIndex('received_events_device_seq')
		.on('received_events')
		.columns(['device_id', 'device_seq'])
		.unique()
		.where(sql.ref('device_seq'), 'is not', null)
		.execute();

	await db.schema
		.createIndex('ledger_entries_one_per_event_and_resident')
		.on('ledger_entries')
		.columns(['event_id', 'resident_id'])
		.unique()
		.execute();
}
