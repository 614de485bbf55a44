import type { Kysely } from 'kysely';
import { signCredential } from '$lib/domain/credential';
import type { Database } from '../db/schema';
import type { StaffRole } from '../db/schema-shop';
import { importCommunityPrivateKey, residentCardText, staffCardText } from '../keys/community-keys';
import { cardQrSvg } from '../office/card-print';
import { DEMO_COMMUNITY, DEMO_FOREIGN_COMMUNITY } from '../seed/demo';
import { DEMO_STAFF } from '../seed/demo-shop';

export type DemoCardStatus = 'active' | 'revoked' | 'foreign' | 'forged' | 'unknown' | 'unreadable';

export interface DemoCard {
	credential: string;
	qrSvg: string;
	residentId: number;
	serial: number;
	status: DemoCardStatus;
	name: string;
	household: string;
	communityName: string;
	/** What a test card is for, shown on the sheet. */
	purpose?: string;
}

/** A staff card for shop mode, with its demo PIN printed beside it. */
export interface DemoStaffCard {
	credential: string;
	qrSvg: string;
	staffId: number;
	serial: number;
	name: string;
	role: StaffRole;
	pin: string;
	/** 'foreign': of the other demo community, for trying the refusal. */
	status: 'active' | 'foreign';
	communityName: string;
	purpose: string;
}

export interface DemoCardSheet {
	communityName: string;
	cards: DemoCard[];
	staffCards: DemoStaffCard[];
	testCards: DemoCard[];
}

const STAFF_PURPOSES: Record<StaffRole, string> = {
	shopkeeper: '店员卡：在柜台扫这张卡，再输入密码，进入店员模式',
	manager: '店长卡：盘点差异较大时，由店长输入密码复核'
};

/** The demo PIN of a staff member, by their office username (see seed/demo-shop.ts). */
function demoPin(username: string): string | null {
	return Object.values(DEMO_STAFF).find((staff) => staff.username === username)?.pin ?? null;
}

async function staffCards(
	db: Kysely<Database>,
	community: { id: number; name: string; private_key: string },
	status: DemoStaffCard['status']
): Promise<DemoStaffCard[]> {
	const rows = await db
		.selectFrom('staff_members')
		.innerJoin('office_accounts', 'office_accounts.id', 'staff_members.id')
		.innerJoin('cards', 'cards.office_account_id', 'staff_members.id')
		.select([
			'staff_members.id',
			'staff_members.role',
			'office_accounts.display_name as name',
			'office_accounts.username',
			'cards.serial'
		])
		.where('staff_members.community_id', '=', community.id)
		.where('cards.kind', '=', 'staff')
		.where('cards.revoked_at', 'is', null)
		// The shopkeeper's card first: it is the one a demo starts with.
		.orderBy('staff_members.role', 'desc')
		.orderBy('staff_members.id')
		.execute();
	const privateKey = await importCommunityPrivateKey(community.private_key);
	const cards: DemoStaffCard[] = [];
	for (const row of rows) {
		const pin = demoPin(row.username);
		if (!pin) continue;
		const credential = await staffCardText(privateKey, {
			communityId: community.id,
			staffId: row.id,
			serial: row.serial
		});
		cards.push({
			credential,
			qrSvg: await cardQrSvg(credential),
			staffId: row.id,
			serial: row.serial,
			name: row.name,
			role: row.role,
			pin,
			status,
			communityName: community.name,
			purpose:
				status === 'foreign' ? '其他社区的店员卡：应提示不是本社区的卡' : STAFF_PURPOSES[row.role]
		});
	}
	return cards;
}

async function communityBySlug(db: Kysely<Database>, slug: string) {
	return db.selectFrom('communities').selectAll().where('slug', '=', slug).executeTakeFirst();
}

async function residentCards(db: Kysely<Database>, communityId: number) {
	return db
		.selectFrom('cards')
		.innerJoin('residents', 'residents.id', 'cards.resident_id')
		.innerJoin('households', 'households.id', 'residents.household_id')
		.select([
			'residents.id as residentId',
			'residents.name',
			'households.label as household',
			'cards.serial',
			'cards.revoked_at'
		])
		.where('cards.community_id', '=', communityId)
		.where('cards.kind', '=', 'resident')
		.orderBy('residents.id')
		.orderBy('cards.serial')
		.execute();
}

/**
 * The printable demo sheet: every card of the demo community, and a test section with lost
 * cards, a card of the other demo community, a forged one, one for a resident who does not
 * exist and a QR that is not a card. Null when the database has no demo community.
 */
export async function buildDemoCardSheet(db: Kysely<Database>): Promise<DemoCardSheet | null> {
	const community = await communityBySlug(db, DEMO_COMMUNITY.slug);
	if (!community) return null;
	const privateKey = await importCommunityPrivateKey(community.private_key);
	const card = async (
		row: { residentId: number; name: string; household: string; serial: number },
		status: DemoCardStatus,
		credential: string,
		extra: Partial<DemoCard> = {}
	): Promise<DemoCard> => ({
		...row,
		status,
		credential,
		qrSvg: await cardQrSvg(credential),
		communityName: community.name,
		...extra
	});

	const cards: DemoCard[] = [];
	const testCards: DemoCard[] = [];
	for (const row of await residentCards(db, community.id)) {
		const text = await residentCardText(privateKey, { communityId: community.id, ...row });
		if (row.revoked_at === null) cards.push(await card(row, 'active', text));
		else
			testCards.push(await card(row, 'revoked', text, { purpose: '已挂失的卡：应提示卡已挂失' }));
	}

	const first = cards[0];
	if (first) {
		const forger = (await crypto.subtle.generateKey('Ed25519', false, [
			'sign',
			'verify'
		])) as CryptoKeyPair;
		const forged = await signCredential(
			{
				kind: 'resident',
				communityId: community.id,
				subjectId: first.residentId,
				serial: first.serial
			},
			forger.privateKey
		);
		testCards.push(
			await card(first, 'forged', forged, { purpose: '伪造的卡（签名不对）：应提示无效卡' })
		);
	}
	const unknownResident = {
		residentId: 99_999,
		name: '（不存在的居民）',
		household: '—',
		serial: 1
	};
	testCards.push(
		await card(
			unknownResident,
			'unknown',
			await residentCardText(privateKey, {
				communityId: community.id,
				residentId: 99_999,
				serial: 1
			}),
			{ purpose: '签名正确但居民不存在：应提示查无此人' }
		)
	);

	const foreign = await communityBySlug(db, DEMO_FOREIGN_COMMUNITY.slug);
	const staff = await staffCards(db, community, 'active');
	if (foreign) staff.push(...(await staffCards(db, foreign, 'foreign')));
	if (foreign) {
		const foreignKey = await importCommunityPrivateKey(foreign.private_key);
		const [row] = await residentCards(db, foreign.id);
		if (row) {
			testCards.push(
				await card(
					row,
					'foreign',
					await residentCardText(foreignKey, { communityId: foreign.id, ...row }),
					{ communityName: foreign.name, purpose: '其他社区的卡：应提示不是本社区的卡' }
				)
			);
		}
	}
	testCards.push(
		await card(
			{ residentId: 0, name: '（不是积分卡）', household: '—', serial: 0 },
			'unreadable',
			'https://example.com/不是积分卡',
			{ purpose: '不是积分卡的二维码：应提示无法识别' }
		)
	);
	return { communityName: community.name, cards, staffCards: staff, testCards };
}
