/**
 * A meta row whose value changes in the same transaction as every write that a redemption's
 * decision reads: residents, items, redemptions, stock movements, voids, and the meta values the
 * rules use (everything but sync status). While the token is what it was, reads made earlier are
 * still exactly what a read now would return; `prepareRedemption` relies on that.
 *
 * A Dexie middleware writes it, so no write path can forget it. A transaction that writes those
 * tables without `meta` in its scope fails, loudly, rather than leave the token behind.
 */
import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse, Middleware } from 'dexie';
import { uuidv7 } from '$lib/domain/uuid';

export const DECISION_TOKEN_KEY = 'decisionToken';

const DECISION_TABLES = new Set(['residents', 'items', 'redemptions', 'stockMovements', 'voids']);

/** Meta values that only report on sync; no rule reads them. */
const STATUS_ONLY_META = new Set<unknown>([
	'lastPushAt',
	'lastSuccessAt',
	'lastSyncError',
	'clockSkewMs',
	DECISION_TOKEN_KEY
]);

/** The meta keys a request writes, or null when it cannot tell (a range, a query). */
function metaKeysOf(request: DBCoreMutateRequest): unknown[] | null {
	if (request.type === 'deleteRange' || (request.type !== 'add' && request.criteria)) return null;
	const keys: unknown[] = [...(request.keys ?? [])];
	if (request.type !== 'delete') {
		for (const value of request.values) keys.push((value as { key?: unknown } | null)?.key);
		if (request.type === 'put') keys.push(...(request.updates?.keys ?? []));
	}
	return keys.length > 0 ? keys : null;
}

function changesDecision(table: string, request: DBCoreMutateRequest): boolean {
	if (DECISION_TABLES.has(table)) return true;
	const keys = metaKeysOf(request);
	return keys === null || keys.some((key) => !STATUS_ONLY_META.has(key));
}

export const decisionTokenMiddleware: Middleware<DBCore> = {
	stack: 'dbcore',
	name: 'decisionToken',
	create(down) {
		return {
			...down,
			table(name) {
				const table = down.table(name);
				if (name !== 'meta' && !DECISION_TABLES.has(name)) return table;
				return {
					...table,
					mutate(request): Promise<DBCoreMutateResponse> {
						if (!changesDecision(name, request)) return table.mutate(request);
						const scope = (request.trans as unknown as IDBTransaction).objectStoreNames;
						if (!scope.contains('meta')) {
							request.trans.abort();
							return Promise.reject(
								new Error(`a write to ${name} needs meta in its transaction (decision token)`)
							);
						}
						const written = table.mutate(request);
						const token = down.table('meta').mutate({
							trans: request.trans,
							type: 'put',
							values: [{ key: DECISION_TOKEN_KEY, value: uuidv7() }]
						});
						return written.then((response) => token.then(() => response));
					}
				};
			}
		};
	}
};
