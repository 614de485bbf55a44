import { CompiledQuery, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database } from './schema';

/*
 * Multi-row inserts of many rows of one shape, for the push path that writes hundreds of rows per
 * batch. Kysely builds a statement by walking every value of every row, which for a batch costs
 * about as much as SQLite's own work. Here Kysely compiles one statement per shape (table,
 * columns, rows per statement, returned columns) with placeholders, and every chunk of that shape
 * reuses its text with its own parameters. The text is the same from batch to batch, so the
 * connection's statement cache (connection.ts) prepares it once. Values are always bound
 * parameters; the SQL text comes from Kysely and names only our own tables and columns.
 */

type Table = keyof Database & string;

/** Rows per statement: 100 rows of ≤ 12 columns stay far below SQLite's and PostgreSQL's limits. */
const ROWS_PER_STATEMENT = 100;

export class BulkInserter {
	/** Compiled SQL by shape. Lives as long as the inserter: one push batch. */
	#statements = new Map<string, string>();

	/** Inserts `rows` into `table`. A column missing from a row is written as NULL. */
	async insert<T extends Table>(
		db: Kysely<Database>,
		table: T,
		rows: readonly Insertable<Database[T]>[]
	): Promise<void> {
		await this.#run(db, table, rows, []);
	}

	/** Inserts `rows` and answers the `returning` columns of the new rows (in no promised order). */
	async insertReturning<T extends Table, K extends keyof Selectable<Database[T]> & string>(
		db: Kysely<Database>,
		table: T,
		rows: readonly Insertable<Database[T]>[],
		returning: readonly K[]
	): Promise<Array<Pick<Selectable<Database[T]>, K>>> {
		return (await this.#run(db, table, rows, returning)) as Array<Pick<Selectable<Database[T]>, K>>;
	}

	async #run(
		db: Kysely<Database>,
		table: Table,
		rows: readonly object[],
		returning: readonly string[]
	): Promise<unknown[]> {
		if (rows.length === 0) return [];
		const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
		const answered: unknown[] = [];
		for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
			const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
			const parameters: unknown[] = [];
			for (const row of chunk) {
				const values = row as Record<string, unknown>;
				for (const column of columns) parameters.push(values[column] ?? null);
			}
			const sqlText = this.#statement(db, table, columns, chunk.length, returning);
			const result = await db.executeQuery(CompiledQuery.raw(sqlText, parameters));
			answered.push(...result.rows);
		}
		return answered;
	}

	#statement(
		db: Kysely<Database>,
		table: Table,
		columns: readonly string[],
		rowCount: number,
		returning: readonly string[]
	): string {
		const shape = `${table}\n${columns.join(',')}\n${rowCount}\n${returning.join(',')}`;
		let sqlText = this.#statements.get(shape);
		if (sqlText === undefined) {
			const placeholderRow = Object.fromEntries(columns.map((column) => [column, null]));
			// Kysely's types cannot follow a table chosen at run time; the SQL names only columns
			// taken from our own typed rows.
			const insert = db
				.insertInto(table)
				.values(Array.from({ length: rowCount }, () => placeholderRow) as never);
			sqlText = (returning.length > 0 ? insert.returning(returning as never) : insert).compile()
				.sql;
			this.#statements.set(shape, sqlText);
		}
		return sqlText;
	}
}
