import type { Kysely } from 'kysely';
import { importPublicKey, verifyCredential } from '$lib/domain/credential';
import { maskName } from '$lib/domain/masking';
import type { Database } from '../db/schema';

/*
 * A card scanned in the office (a 网格员's phone camera, a laptop's webcam, a USB scanner): the
 * QR text is checked exactly as the kiosk checks it — our community, our key's signature — and
 * then against the server's own card list, which knows revocations at once.
 */

export interface ScannedResident {
	id: number;
	/** 王*英: the chip on a phone held up in a stairwell shows no full name. */
	maskedName: string;
	household: string;
}

export type CardScanOutcome =
	{ ok: true; resident: ScannedResident } | { ok: false; message: string };

const MESSAGES = {
	unreadable: '这不是积分卡的二维码，请扫描居民的积分卡',
	foreign_community: '这是其他社区的积分卡，不能在本社区记积分',
	forged: '这张卡的签名不对，可能是伪造的，请核对后再试',
	staff: '这是店员卡，请扫描居民的积分卡',
	unknown: '系统里没有这张卡，请在名单里查找这位居民',
	revoked: '这张卡已经挂失停用，请使用新卡或在名单里查找这位居民',
	movedOut: '这位居民已迁出，不能再记积分'
} as const;

/** The resident a scanned card text belongs to, or why it cannot be used, in Chinese. */
export async function residentForCard(
	db: Kysely<Database>,
	communityId: number,
	text: string
): Promise<CardScanOutcome> {
	const community = await db
		.selectFrom('communities')
		.select('public_key')
		.where('id', '=', communityId)
		.executeTakeFirstOrThrow();
	const check = await verifyCredential(
		text,
		communityId,
		await importPublicKey(community.public_key)
	);
	if (!check.ok) return { ok: false, message: MESSAGES[check.problem] };
	if (check.credential.kind !== 'resident') return { ok: false, message: MESSAGES.staff };
	const card = await db
		.selectFrom('cards')
		.innerJoin('residents', 'residents.id', 'cards.resident_id')
		.innerJoin('households', 'households.id', 'residents.household_id')
		.select([
			'cards.revoked_at',
			'residents.id',
			'residents.name',
			'residents.active',
			'households.label as household'
		])
		.where('cards.community_id', '=', communityId)
		.where('cards.kind', '=', 'resident')
		.where('cards.resident_id', '=', check.credential.subjectId)
		.where('cards.serial', '=', check.credential.serial)
		.executeTakeFirst();
	if (!card) return { ok: false, message: MESSAGES.unknown };
	if (card.revoked_at !== null) return { ok: false, message: MESSAGES.revoked };
	if (card.active !== 1) return { ok: false, message: MESSAGES.movedOut };
	return {
		ok: true,
		resident: { id: card.id, maskedName: maskName(card.name), household: card.household }
	};
}
