import type { AnyDb } from './migrations';

/*
 * Cards and shop staff in the office (issue 11 §1, §3): a count of the office's PIN unlocks per
 * staff member. The kiosk keeps its PIN lock-out in its own database; the staff snapshot carries
 * this count, and a kiosk whose lock was made before the count went up treats the card as unlocked.
 */
export async function createCardsSchema(db: AnyDb): Promise<void> {
	await db.schema
		.alterTable('staff_members')
		.addColumn('pin_unlocks', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
}
