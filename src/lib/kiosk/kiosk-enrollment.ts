/**
 * Enrolling the kiosk: the server's answer (terminal/enrollment.ts) goes into the local meta
 * table. A first enrollment (or one into another community or against a reset server) starts the
 * pull cursor from zero, so the first sync brings every resident and item; enrolling again into
 * the same community keeps the snapshots and the cursor, which stay valid.
 */
import type { DeviceKind } from '$lib/protocol/devices';
import type { CommunitySnapshot } from '$lib/protocol/sync';
import type { ApiClient } from '$lib/terminal/api-client';
import { requestEnrollment, type EnrollResult } from '$lib/terminal/enrollment';
import type { KioskDb } from './local-db';

export async function enrollKiosk(
	db: KioskDb,
	api: ApiClient,
	codeText: string,
	kind: DeviceKind = 'kiosk',
	name?: string
): Promise<EnrollResult> {
	const answer = await requestEnrollment(api, codeText, kind, name);
	if (!answer.ok) return answer;
	const { response } = answer;
	const { deviceId, token, community } = response;
	const tables = [
		db.meta,
		db.residents,
		db.items,
		db.redemptions,
		db.staff,
		db.stockMovements,
		db.voids
	];
	await db.transaction('rw', tables, async () => {
		const previous = (await db.meta.get('community'))?.value as CommunitySnapshot | undefined;
		// Same community on the same server (same key): the local snapshots and cursor stay valid.
		const sameFeed = previous?.id === community.id && previous.publicKey === community.publicKey;
		if (!sameFeed) {
			// Another community's (or a reset server's) residents and items must not linger, and
			// change seqs from that feed mean nothing against the new one.
			await Promise.all([db.residents.clear(), db.items.clear(), db.staff.clear()]);
			const forgetSeq = (r: { ackSeq: number | null }) => {
				r.ackSeq = 0;
			};
			await Promise.all([
				db.redemptions.where('ackSeq').above(0).modify(forgetSeq),
				db.stockMovements.where('ackSeq').above(0).modify(forgetSeq),
				db.voids.where('ackSeq').above(0).modify(forgetSeq)
			]);
			await db.meta.bulkPut([{ key: 'cursor', value: 0 }]);
			await db.meta.delete('lastPullAt');
		}
		await db.meta.bulkPut([
			{
				key: 'device',
				value: {
					deviceId,
					token,
					kind: response.kind,
					...(response.name ? { name: response.name } : {})
				}
			},
			{ key: 'community', value: community },
			{ key: 'needsEnrollment', value: false },
			{ key: 'lastSyncError', value: null }
		]);
	});
	return { ok: true, deviceId, community };
}
