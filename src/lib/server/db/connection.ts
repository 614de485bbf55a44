import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { migrateToLatest } from './migrations';
import type { Database } from './schema';

/*
 * The only module that knows the database is SQLite. Everything else speaks Kysely, so a
 * PostgreSQL dialect can replace this file (and get its own migrations) without touching queries.
 */

export const DATABASE_FILE_NAME = 'credit-shop.sqlite';

export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
	return resolve(env.DATA_DIR || './data');
}

export function databaseFile(dataDir: string): string {
	return join(dataDir, DATABASE_FILE_NAME);
}

/**
 * Kysely's ROLLBACK after a failed statement. SQLite rolls a transaction back by itself when its
 * COMMIT fails on a full disk (and after some other errors); a ROLLBACK then fails with "no
 * transaction is active", and that second error would replace the first in every transaction:
 * a full disk (507, try later) would answer as a server error (500). So roll back only what is
 * still open.
 */
function rollbackIfActive(database: BetterSqlite3.Database): SqliteStatement {
	const rollback = database.prepare('rollback');
	return {
		reader: false,
		all: () => [],
		iterate: () => [][Symbol.iterator](),
		run: () => (database.inTransaction ? rollback.run() : { changes: 0, lastInsertRowid: 0 })
	};
}

/**
 * better-sqlite3 prepares a statement per call and Kysely prepares per query; reusing prepared
 * statements by SQL text removes most of the per-query cost on the push path.
 */
function withStatementCache(database: BetterSqlite3.Database, capacity = 500): SqliteDatabase {
	const statements = new Map<string, SqliteStatement>();
	const rollback = rollbackIfActive(database);
	return {
		close: () => database.close(),
		prepare(sqlText) {
			if (sqlText === 'rollback') return rollback;
			const cached = statements.get(sqlText);
			if (cached) return cached;
			if (statements.size >= capacity) statements.clear();
			const statement = database.prepare(sqlText);
			statements.set(sqlText, statement);
			return statement;
		}
	};
}

/**
 * True when the database could not write for lack of room: the disk is full, or the file reached
 * its page limit. Nothing of the failed transaction was kept; the same write can succeed later, so
 * callers answer "try again" rather than blame the data.
 */
export function isStorageFull(error: unknown): boolean {
	return (error as { code?: unknown } | null)?.code === 'SQLITE_FULL';
}

/**
 * Runs `work` in a transaction that holds the write lock from its start, so a check and the
 * write it allows cannot be split by another writer: not by another request of this process (the
 * single connection is held throughout) nor by another process on the same file. Kysely begins
 * with a plain BEGIN; the empty UPDATE takes the lock at once, as BEGIN IMMEDIATE would.
 */
export async function immediateTransaction<T>(
	db: Kysely<Database>,
	work: (trx: Kysely<Database>) => Promise<T>
): Promise<T> {
	const trx = await db.startTransaction().execute();
	try {
		await sql`update installation set value = value where 0`.execute(trx);
		const result = await work(trx);
		await trx.commit().execute();
		return result;
	} catch (error) {
		await trx.rollback().execute();
		throw error;
	}
}

/** Opens (creating the folder and file if needed) a database file. Does not migrate. */
export function openDatabase(file: string): Kysely<Database> {
	mkdirSync(dirname(file), { recursive: true });
	const database = new BetterSqlite3(file);
	// WAL lets readers run beside the writer; FULL makes each commit durable before we answer,
	// which matters because a device forgets an event once the server said `applied`.
	database.pragma('journal_mode = WAL');
	database.pragma('synchronous = FULL');
	database.pragma('foreign_keys = ON');
	database.pragma('busy_timeout = 5000');
	database.pragma('cache_size = -65536');
	database.pragma('wal_autocheckpoint = 10000');
	return new Kysely<Database>({
		dialect: new SqliteDialect({ database: withStatementCache(database) })
	});
}

/** Opens and migrates. Tests use this with a file in a temporary folder. */
export async function openMigratedDatabase(file: string): Promise<Kysely<Database>> {
	const db = openDatabase(file);
	await migrateToLatest(db);
	return db;
}

/*
 * The one piece of module state on the server: a lazily opened, migrated connection per data
 * folder. SQLite has a single writer, so one connection per process is the right shape; keying
 * it by folder keeps tests that point DATA_DIR elsewhere apart.
 */
const openConnections = new Map<string, Promise<Kysely<Database>>>();

/** The server's database for DATA_DIR, opened and migrated on first use. */
export function getDatabase(dataDir: string = dataDirectory()): Promise<Kysely<Database>> {
	let connection = openConnections.get(dataDir);
	if (!connection) {
		connection = openMigratedDatabase(databaseFile(dataDir));
		openConnections.set(dataDir, connection);
		connection.catch(() => openConnections.delete(dataDir));
	}
	return connection;
}

/** Closes the connection for a data folder (tests and orderly shutdown). */
export async function closeDatabase(dataDir: string = dataDirectory()): Promise<void> {
	const connection = openConnections.get(dataDir);
	openConnections.delete(dataDir);
	if (connection) await (await connection).destroy();
}
