import Database from 'better-sqlite3';

/**
 * Writes to the test server's SQLite file, as the office would change lobby content, for the
 * spec that checks a display picks up new content. Each change is undone by the returned
 * function, so other specs see the demo content again.
 */
export function renameCommunity(databasePath: string, name: string): () => void {
	const db = new Database(databasePath, { fileMustExist: true });
	db.pragma('busy_timeout = 5000');
	try {
		const { id, name: before } = db
			.prepare('SELECT id, name FROM communities ORDER BY id LIMIT 1')
			.get() as { id: number; name: string };
		db.prepare('UPDATE communities SET name = ? WHERE id = ?').run(name, id);
		return () => {
			const again = new Database(databasePath, { fileMustExist: true });
			again.pragma('busy_timeout = 5000');
			again.prepare('UPDATE communities SET name = ? WHERE id = ?').run(before, id);
			again.close();
		};
	} finally {
		db.close();
	}
}
