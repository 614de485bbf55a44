import type { AnyDb } from './migrations';

/** Tables for the lobby display: boards, stories, merchants, buildings, playlists. */
export async function createDisplaySchema(db: AnyDb): Promise<void> {
	void db;
}
