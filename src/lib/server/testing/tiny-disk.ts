import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * A real, small filesystem for full-disk tests: a tmpfs mounted in a temporary folder. SQLite
 * behaves differently on a disk that is really full (the write fails in the middle of a
 * transaction, the journal cannot grow, SQLite may roll back by itself) than under
 * `max_page_count`, so the tests that promise 507 use this. Mounting needs root, as in CI.
 */

export interface TinyDisk {
	/** The mounted folder. */
	path: string;
	/** Writes a filler file until the filesystem answers ENOSPC. */
	fill(): void;
	/** Deletes the filler: the room is back. */
	free(): void;
	/** Unmounts and removes the folder. */
	dispose(): void;
}

/** Why tiny disks cannot be made here, or null when they can (root, and `mount` works). */
export function tinyDiskUnavailable(): string | null {
	if (process.platform !== 'linux') return 'needs Linux (tmpfs)';
	if (process.getuid?.() !== 0) return 'needs root to mount a tmpfs (CI runs as root)';
	const probe = mkdtempSync(join(tmpdir(), 'credit-shop-probe-'));
	try {
		const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
		if (mounted.status !== 0) return `mount -t tmpfs failed: ${mounted.stderr.toString().trim()}`;
		spawnSync('umount', [probe]);
		return null;
	} finally {
		rmdirSync(probe);
	}
}

export function mountTinyDisk(sizeBytes: number): TinyDisk {
	const path = mkdtempSync(join(tmpdir(), 'credit-shop-tiny-disk-'));
	const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', path]);
	if (mounted.status !== 0) {
		rmdirSync(path);
		throw new Error(`mount -t tmpfs failed: ${mounted.stderr.toString().trim()}`);
	}
	const filler = join(path, 'filler');
	return {
		path,
		fill() {
			const fd = openSync(filler, 'a');
			const chunk = Buffer.alloc(4096);
			try {
				for (;;) writeSync(fd, chunk);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
			} finally {
				closeSync(fd);
			}
		},
		free() {
			rmSync(filler, { force: true });
		},
		dispose() {
			spawnSync('umount', ['-l', path]);
			rmdirSync(path);
		}
	};
}
