import { Dexie } from 'dexie';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { readAllMetas, readMeta, readMetas, writeMetas, type MetaTable } from './meta-table';

interface Values {
	cursor: number;
	name: string;
	flag: boolean;
}

class TestDb extends Dexie {
	meta!: MetaTable<Values>;
	constructor() {
		super(`meta-table-${crypto.randomUUID()}`, { indexedDB, IDBKeyRange });
		this.version(1).stores({ meta: 'key' });
	}
}

let db: TestDb;
afterEach(() => db?.close());

describe('meta table', () => {
	it('writes several values at once and reads them back one, some or all at a time', async () => {
		db = new TestDb();
		await writeMetas(db.meta, { cursor: 7, name: '和平社区' });
		expect(await readMeta(db.meta, 'cursor')).toBe(7);
		expect(await readMeta(db.meta, 'flag')).toBeUndefined();
		expect(await readMetas(db.meta, ['name', 'flag'])).toEqual({ name: '和平社区' });
		await writeMetas(db.meta, { cursor: 8, flag: false });
		expect(await readAllMetas(db.meta)).toEqual({ cursor: 8, name: '和平社区', flag: false });
	});
});
