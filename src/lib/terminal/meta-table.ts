/**
 * A Dexie `meta` table of small keyed values, typed by an interface of every key and the type of
 * its value. The kiosk's database (`MetaValues`) and the display's (`DisplayMetaValues`) each
 * have one, read and written only through these functions.
 */
import type { Table } from 'dexie';

export interface MetaRow<K extends string = string> {
	key: K;
	value: unknown;
}

/** The meta table of a database whose values are described by `V`. */
export type MetaTable<V> = Table<MetaRow<keyof V & string>, keyof V & string>;

export async function readMeta<V, K extends keyof V & string>(
	table: MetaTable<V>,
	key: K
): Promise<V[K] | undefined> {
	const row = await table.get(key);
	return row?.value as V[K] | undefined;
}

/** Several values at once, in one read. Missing keys are left out. */
export async function readMetas<V, K extends keyof V & string>(
	table: MetaTable<V>,
	keys: readonly K[]
): Promise<Partial<Pick<V, K>>> {
	const rows = await table.bulkGet([...keys]);
	const values: Partial<Pick<V, K>> = {};
	rows.forEach((row, i) => {
		if (row) values[keys[i] as K] = row.value as V[K];
	});
	return values;
}

/**
 * Every value in one getAll: one round trip to the IndexedDB backend, where `readMetas` costs
 * one per key. The tables hold a dozen small rows.
 */
export async function readAllMetas<V>(table: MetaTable<V>): Promise<Partial<V>> {
	const values: Partial<Record<keyof V & string, unknown>> = {};
	for (const row of await table.toArray()) values[row.key] = row.value;
	return values as Partial<V>;
}

/** Writes the given values (one row per key) in one bulk put. */
export async function writeMetas<V>(table: MetaTable<V>, values: Partial<V>): Promise<void> {
	await table.bulkPut(
		Object.entries(values).map(([key, value]) => ({ key: key as keyof V & string, value }))
	);
}
