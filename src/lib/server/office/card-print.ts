import type { Kysely } from 'kysely';
import QRCode from 'qrcode';
import type { Database } from '../db/schema';
import type { StaffRole } from '../db/schema-shop';
import { importCommunityPrivateKey, residentCardText, staffCardText } from '../keys/community-keys';

/*
 * What a printed card shows: the community, the holder's full name (the card is theirs to carry;
 * kiosks and the lobby screen show masked names), the household or the shop role, the card number
 * and the QR of the signed credential. Only valid cards print: a lost card must not come back.
 */

/** Card QR codes must stay small enough to scan from a worn card: version ≤ 7 at ECC M. */
export const MAX_CARD_QR_VERSION = 7;

export async function cardQrSvg(text: string): Promise<string> {
	const version = QRCode.create(text, { errorCorrectionLevel: 'M' }).version;
	if (version > MAX_CARD_QR_VERSION) {
		throw new Error(`card QR needs version ${version}, more than ${MAX_CARD_QR_VERSION}`);
	}
	return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

export interface PrintableCard {
	cardId: number;
	kind: 'resident' | 'staff';
	name: string;
	/** The household label, or the shop role for a staff card. */
	line: string;
	/** e.g. '12-2' for a resident, 'S7-1' for a staff card. */
	number: string;
	credential: string;
	qrSvg: string;
}

export interface PrintableSheet {
	communityName: string;
	cards: PrintableCard[];
}

export const STAFF_ROLE_NAMES: Record<StaffRole, string> = {
	shopkeeper: '店员',
	manager: '店长'
};

/** Cards per A4 sheet: two columns of five ID-1 cards (85.6 × 54 mm) within 10 mm margins. */
export const CARDS_PER_SHEET = 10;
export const MAX_PRINT_CARDS = 500;

/** The valid cards among `cardIds` of the community, in the order asked, ready to print. */
export async function printableCards(
	db: Kysely<Database>,
	communityId: number,
	cardIds: readonly number[]
): Promise<PrintableSheet> {
	const community = await db
		.selectFrom('communities')
		.select(['name', 'private_key'])
		.where('id', '=', communityId)
		.executeTakeFirstOrThrow();
	const ids = [...new Set(cardIds)].slice(0, MAX_PRINT_CARDS);
	if (ids.length === 0) return { communityName: community.name, cards: [] };
	const rows = await db
		.selectFrom('cards')
		.leftJoin('residents', 'residents.id', 'cards.resident_id')
		.leftJoin('households', 'households.id', 'residents.household_id')
		.leftJoin('office_accounts', 'office_accounts.id', 'cards.office_account_id')
		.leftJoin('staff_members', 'staff_members.id', 'cards.office_account_id')
		.select([
			'cards.id',
			'cards.kind',
			'cards.serial',
			'cards.resident_id',
			'cards.office_account_id',
			'residents.name as residentName',
			'households.label as household',
			'office_accounts.display_name as staffName',
			'staff_members.role as staffRole'
		])
		.where('cards.community_id', '=', communityId)
		.where('cards.id', 'in', ids)
		.where('cards.revoked_at', 'is', null)
		.execute();
	const privateKey = await importCommunityPrivateKey(community.private_key);
	const byId = new Map(rows.map((row) => [row.id, row]));
	const cards: PrintableCard[] = [];
	for (const id of ids) {
		const row = byId.get(id);
		if (!row) continue;
		const credential =
			row.kind === 'resident'
				? await residentCardText(privateKey, {
						communityId,
						residentId: row.resident_id!,
						serial: row.serial
					})
				: await staffCardText(privateKey, {
						communityId,
						staffId: row.office_account_id!,
						serial: row.serial
					});
		cards.push({
			cardId: row.id,
			kind: row.kind,
			name: (row.kind === 'resident' ? row.residentName : row.staffName) ?? '',
			line:
				row.kind === 'resident'
					? (row.household ?? '')
					: STAFF_ROLE_NAMES[row.staffRole ?? 'shopkeeper'],
			number:
				row.kind === 'resident'
					? `${row.resident_id}-${row.serial}`
					: `S${row.office_account_id}-${row.serial}`,
			credential,
			qrSvg: await cardQrSvg(credential)
		});
	}
	return { communityName: community.name, cards };
}
