import type { AnyDb } from './migrations';

/** Tables for shop mode: staff PINs, voids, day closings and reports. */
export async function createShopSchema(db: AnyDb): Promise<void> {
	void db;
}
