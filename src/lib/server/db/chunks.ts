/**
 * Splits a list for `IN (...)` lists and multi-row inserts, keeping every statement well under
 * SQLite's (and PostgreSQL's) limit on bound parameters.
 */
export function chunked<T>(values: readonly T[], size = 500): T[][] {
	const chunks: T[][] = [];
	for (let start = 0; start < values.length; start += size) {
		chunks.push(values.slice(start, start + size));
	}
	return chunks;
}
