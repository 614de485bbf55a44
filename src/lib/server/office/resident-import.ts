import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import {
	readResidentCsv,
	residentCsv,
	type CsvCells,
	type CheckedCsvRow
} from '$lib/domain/resident-csv';
import { chunked } from '../db/chunks';
import type { Database } from '../db/schema';
import { inTransaction } from '../db/transactions';
import { recordResidentChanges } from '../sync/change-feed';
import { recordAudit } from './audit';
import type { OfficeActor } from './residents';

/*
 * Importing households and residents from a spreadsheet, in two steps. The upload is checked and
 * planned — row by row: 新增, 修改 (what), 不变, 拒绝 (why) — and kept under DATA_DIR/imports by
 * a random token; nothing else is written. The office confirms with the token and the plan's
 * digest: the plan is made again inside the writing transaction and applied only if it is still
 * the one the clerk saw. Re-importing the same file plans only 不变 rows and writes nothing.
 *
 * A resident is the same person when household label and name match. An empty phone cell leaves
 * a known phone as it is. A moved-out resident is not moved back by an import (the page can).
 */

export type ImportRowKind = 'add' | 'change' | 'same' | 'refuse';

export interface ImportRowPlan {
	line: number;
	cells: CsvCells;
	kind: ImportRowKind;
	/** In Chinese: what happens to the row, or why it is refused. */
	detail: string;
	label?: string;
	name?: string;
	phone?: string | null;
	/** The household as the sheet describes it, for a new one. */
	household?: Extract<CheckedCsvRow, { ok: true }>['household'];
	/** The resident a 修改 row changes. */
	residentId?: number;
}

export interface ImportPlan {
	token: string;
	fileName: string;
	encoding: 'UTF-8' | 'GB18030';
	rows: ImportRowPlan[];
	counts: Record<ImportRowKind, number>;
	newHouseholds: number;
	/** Identifies what the plan would write; the confirmation must bring the same. */
	digest: string;
}

export type StageResult = { ok: true; plan: ImportPlan } | { ok: false; message: string };

export type CommitResult =
	| { ok: true; added: number; changed: number; householdsAdded: number }
	| { ok: false; message: string; plan?: ImportPlan };

/** Staged uploads older than this are removed when the next one is staged. */
const STAGED_LIFETIME_MS = 24 * 3600_000;
const TOKEN = /^[A-Za-z0-9_-]{22}$/;

interface StagedMeta {
	communityId: number;
	fileName: string;
	stagedAt: string;
}

function importsDirectory(dataDir: string): string {
	return join(dataDir, 'imports');
}

interface Known {
	households: Map<string, number>;
	/** By `${householdId}\0${name}`: the living resident first, else a moved-out one. */
	residents: Map<string, { id: number; phone: string | null; active: boolean }>;
}

async function knownResidents(db: Kysely<Database>, communityId: number): Promise<Known> {
	const households = new Map<string, number>();
	for (const row of await db
		.selectFrom('households')
		.select(['id', 'label'])
		.where('community_id', '=', communityId)
		.execute()) {
		households.set(row.label, row.id);
	}
	const residents: Known['residents'] = new Map();
	for (const row of await db
		.selectFrom('residents')
		.select(['id', 'household_id', 'name', 'phone', 'active'])
		.where('community_id', '=', communityId)
		.execute()) {
		const key = `${row.household_id}\u0000${row.name}`;
		const known = residents.get(key);
		if (!known || (!known.active && row.active === 1)) {
			residents.set(key, { id: row.id, phone: row.phone, active: row.active === 1 });
		}
	}
	return { households, residents };
}

/** `newLabels` collects the new households named so far, so that only the first says "new". */
function planRow(row: CheckedCsvRow, known: Known, newLabels: Set<string>): ImportRowPlan {
	const { line, cells } = row;
	if (!row.ok) return { line, cells, kind: 'refuse', detail: row.reason };
	const { household, name, phone } = row;
	const base = { line, cells, label: household.label, name, phone };
	const householdId = known.households.get(household.label);
	const resident =
		householdId === undefined ? undefined : known.residents.get(`${householdId}\u0000${name}`);
	if (!resident) {
		let detail = '新增居民';
		if (householdId === undefined) {
			detail = newLabels.has(household.label)
				? `新增居民（与上面同属新住户 ${household.label}）`
				: `新增居民（新住户 ${household.label}）`;
			newLabels.add(household.label);
		}
		return { ...base, kind: 'add', household, detail };
	}
	if (!resident.active) {
		return {
			...base,
			kind: 'refuse',
			residentId: resident.id,
			detail: '这位居民已迁出，导入不会把人迁回；如需迁回，请在居民页操作'
		};
	}
	if (phone === null || phone === resident.phone) {
		return { ...base, kind: 'same', residentId: resident.id, detail: '不变' };
	}
	return {
		...base,
		kind: 'change',
		residentId: resident.id,
		detail: `手机号 ${resident.phone ?? '（无）'} → ${phone}`
	};
}

function digestOf(rows: readonly ImportRowPlan[]): string {
	const hash = createHash('sha256');
	for (const row of rows) {
		hash.update(
			JSON.stringify([row.line, row.kind, row.residentId ?? null, row.label, row.name, row.phone])
		);
	}
	return hash.digest('base64url');
}

/** The plan for a file's bytes against the community as it is now. */
export async function planResidentImport(
	db: Kysely<Database>,
	communityId: number,
	bytes: Uint8Array,
	token: string,
	fileName: string
): Promise<StageResult> {
	const read = readResidentCsv(bytes);
	if (!read.ok) return { ok: false, message: read.reason };
	const known = await knownResidents(db, communityId);
	const newLabels = new Set<string>();
	const rows = read.rows.map((row) => planRow(row, known, newLabels));
	const counts: Record<ImportRowKind, number> = { add: 0, change: 0, same: 0, refuse: 0 };
	for (const row of rows) counts[row.kind]++;
	const newHouseholds = newLabels.size;
	return {
		ok: true,
		plan: {
			token,
			fileName,
			encoding: read.encoding,
			rows,
			counts,
			newHouseholds,
			digest: digestOf(rows)
		}
	};
}

async function removeStaleUploads(directory: string, now: Date): Promise<void> {
	for (const name of await readdir(directory).catch(() => [] as string[])) {
		const path = join(directory, name);
		const info = await stat(path).catch(() => null);
		if (info && now.getTime() - info.mtimeMs > STAGED_LIFETIME_MS) await rm(path, { force: true });
	}
}

/** The dry run: checks and plans the upload and keeps it for the confirmation. */
export async function stageResidentImport(
	db: Kysely<Database>,
	dataDir: string,
	communityId: number,
	fileName: string,
	bytes: Uint8Array,
	now: Date = new Date()
): Promise<StageResult> {
	const token = randomBytes(16).toString('base64url');
	const planned = await planResidentImport(db, communityId, bytes, token, fileName);
	if (!planned.ok) return planned;
	const directory = importsDirectory(dataDir);
	await mkdir(directory, { recursive: true });
	await removeStaleUploads(directory, now);
	const meta: StagedMeta = { communityId, fileName, stagedAt: now.toISOString() };
	await writeFile(join(directory, `${token}.csv`), bytes);
	await writeFile(join(directory, `${token}.json`), JSON.stringify(meta));
	return planned;
}

async function readStaged(
	dataDir: string,
	communityId: number,
	token: string
): Promise<{ bytes: Uint8Array; meta: StagedMeta } | null> {
	if (!TOKEN.test(token)) return null;
	const directory = importsDirectory(dataDir);
	try {
		const meta = JSON.parse(await readFile(join(directory, `${token}.json`), 'utf8')) as StagedMeta;
		if (meta.communityId !== communityId) return null;
		return { bytes: await readFile(join(directory, `${token}.csv`)), meta };
	} catch {
		return null;
	}
}

async function applyPlan(
	trx: Kysely<Database>,
	actor: OfficeActor,
	plan: ImportPlan,
	now: Date
): Promise<{ added: number; changed: number; householdsAdded: number }> {
	const adds = plan.rows.filter((row) => row.kind === 'add');
	const changes = plan.rows.filter((row) => row.kind === 'change');
	const existing = new Map(
		(
			await trx
				.selectFrom('households')
				.select(['id', 'label'])
				.where('community_id', '=', actor.communityId)
				.execute()
		).map((row) => [row.label, row.id])
	);
	const newHouseholds = new Map<string, NonNullable<ImportRowPlan['household']>>();
	for (const row of adds) {
		if (!existing.has(row.label!)) newHouseholds.set(row.label!, row.household!);
	}
	const createdHouseholds: Array<{ id: number; label: string }> = [];
	for (const households of chunked([...newHouseholds.values()], 200)) {
		const rows = await trx
			.insertInto('households')
			.values(
				households.map((household) => ({
					community_id: actor.communityId,
					building: household.building,
					unit: household.unit,
					room: household.room,
					label: household.label
				}))
			)
			.returning(['id', 'label'])
			.execute();
		createdHouseholds.push(...rows);
	}
	for (const row of createdHouseholds) existing.set(row.label, row.id);
	const at = now.toISOString();
	const created: Array<{ id: number }> = [];
	for (const residents of chunked(adds, 200)) {
		const rows = await trx
			.insertInto('residents')
			.values(
				residents.map((row) => ({
					community_id: actor.communityId,
					household_id: existing.get(row.label!)!,
					name: row.name!,
					phone: row.phone ?? null,
					active: 1 as const,
					created_at: at,
					updated_at: at
				}))
			)
			.returning('id')
			.execute();
		created.push(...rows);
	}
	for (const row of changes) {
		await trx
			.updateTable('residents')
			.set({ phone: row.phone ?? null, updated_at: at })
			.where('id', '=', row.residentId!)
			.where('community_id', '=', actor.communityId)
			.execute();
	}
	const touched = [...created.map((row) => row.id), ...changes.map((row) => row.residentId!)];
	const summary = {
		added: adds.length,
		changed: changes.length,
		householdsAdded: createdHouseholds.length
	};
	await recordAudit(
		trx,
		{
			communityId: actor.communityId,
			accountId: actor.accountId,
			action: 'import.residents',
			subject: null,
			summary: `导入居民表格 ${plan.fileName}：新增居民 ${summary.added} 人（新住户 ${summary.householdsAdded} 户），修改 ${summary.changed} 人`,
			details: { fileName: plan.fileName, ...summary, refused: plan.counts.refuse }
		},
		now
	);
	if (touched.length > 0) await recordResidentChanges(trx, actor.communityId, touched, now);
	return summary;
}

/**
 * The confirmation: applies the staged file's plan if it is still the one with `digest`; else
 * answers the new plan to show instead. The staged file is removed once applied.
 */
export async function commitResidentImport(
	db: Kysely<Database>,
	dataDir: string,
	actor: OfficeActor,
	token: string,
	digest: string,
	now: Date = new Date()
): Promise<CommitResult> {
	const staged = await readStaged(dataDir, actor.communityId, token);
	if (!staged) return { ok: false, message: '这次预览已经过期或已导入过，请重新上传表格' };
	const result = await db.transaction().execute(async (trx): Promise<CommitResult> => {
		const planned = await planResidentImport(
			trx,
			actor.communityId,
			staged.bytes,
			token,
			staged.meta.fileName
		);
		if (!planned.ok) return { ok: false, message: planned.message };
		if (planned.plan.digest !== digest) {
			return {
				ok: false,
				message:
					'预览之后，系统里的居民资料有了变化，导入结果会不一样。请看下面新的预览，再确认导入',
				plan: planned.plan
			};
		}
		return { ok: true, ...(await applyPlan(trx, actor, planned.plan, now)) };
	});
	if (result.ok) {
		const directory = importsDirectory(dataDir);
		await rm(join(directory, `${token}.csv`), { force: true });
		await rm(join(directory, `${token}.json`), { force: true });
	}
	return result;
}

/**
 * A file planned and applied in one step, without the dry run: for the demo seed, which builds
 * its community through the office's import and has no clerk to confirm (the office always
 * stages and confirms). Runs in the caller's transaction when there is one.
 */
export async function importResidentsWithoutPreview(
	db: Kysely<Database>,
	actor: OfficeActor,
	fileName: string,
	bytes: Uint8Array,
	now: Date = new Date()
): Promise<
	| { ok: true; added: number; changed: number; householdsAdded: number; refused: number }
	| { ok: false; message: string }
> {
	return inTransaction(db, async (trx) => {
		const planned = await planResidentImport(trx, actor.communityId, bytes, '', fileName);
		if (!planned.ok) return planned;
		const applied = await applyPlan(trx, actor, planned.plan, now);
		return { ok: true, ...applied, refused: planned.plan.counts.refuse };
	});
}

/** The export: the community's living residents in the import's columns. */
export async function exportResidentsCsv(
	db: Kysely<Database>,
	communityId: number
): Promise<string> {
	const rows = await db
		.selectFrom('residents')
		.innerJoin('households', 'households.id', 'residents.household_id')
		.select([
			'households.building',
			'households.unit',
			'households.room',
			'households.label',
			'residents.name',
			'residents.phone'
		])
		.where('residents.community_id', '=', communityId)
		.where('residents.active', '=', 1)
		.orderBy('households.label')
		.orderBy('residents.id')
		.execute();
	return residentCsv(
		rows.map((row) => ({
			household: {
				building: row.building,
				unit: row.unit ?? null,
				room: row.room ?? null,
				label: row.label
			},
			name: row.name,
			phone: row.phone
		}))
	);
}

/** A plan trimmed for the screen: rows needing attention in full, the rest up to `perKind`. */
export function planForScreen(plan: ImportPlan, perKind = 200): ImportPlan & { hidden: number } {
	const shown: Record<ImportRowKind, number> = { add: 0, change: 0, same: 0, refuse: 0 };
	const rows = plan.rows.filter((row) => {
		const limit = row.kind === 'refuse' || row.kind === 'change' ? perKind * 10 : perKind;
		return ++shown[row.kind] <= limit;
	});
	return { ...plan, rows, hidden: plan.rows.length - rows.length };
}
