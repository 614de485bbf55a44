/**
 * Test fixtures for the device layer: a fresh fake IndexedDB database per test, a community key
 * pair, and an enrolled kiosk with residents and items as if a pull had just happened.
 */
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { bytesToBase64url } from '$lib/domain/base64url';
import { signCredential, type Credential } from '$lib/domain/credential';
import { hashPin } from '$lib/domain/pin';
import type {
	CommunitySnapshot,
	ItemSnapshot,
	PinHash,
	ResidentSnapshot,
	StaffSnapshot
} from '$lib/protocol/sync';
import { getMeta, openKioskDb, type KioskDb } from '../local-db';

let databases = 0;

export function freshDb(): KioskDb {
	databases += 1;
	return openKioskDb({
		name: `kiosk-test-${databases}-${Math.random().toString(36).slice(2)}`,
		indexedDB,
		IDBKeyRange
	});
}

export interface CommunityKeys {
	privateKey: CryptoKey;
	publicKeyText: string;
}

/** Every test community's private key by its public key text, so a kiosk's cards can be signed. */
const privateKeys = new Map<string, CryptoKey>();

export async function communityKeys(): Promise<CommunityKeys> {
	const pair = (await crypto.subtle.generateKey('Ed25519', true, [
		'sign',
		'verify'
	])) as CryptoKeyPair;
	const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
	const publicKeyText = bytesToBase64url(raw);
	privateKeys.set(publicKeyText, pair.privateKey);
	return { privateKey: pair.privateKey, publicKeyText };
}

/**
 * The text of resident `residentId`'s card as the counter scanned it, signed with the key of the
 * community `db` is enrolled in (made by communityKeys): what a redemption carries.
 */
export async function scannedCard(db: KioskDb, residentId: number, serial = 1): Promise<string> {
	const enrolled = await getMeta(db, 'community');
	const privateKey = enrolled && privateKeys.get(enrolled.publicKey);
	if (!enrolled || !privateKey) throw new Error('the kiosk is not enrolled with a test key');
	return signCredential(
		{ kind: 'resident', communityId: enrolled.id, subjectId: residentId, serial },
		privateKey
	);
}

export const DEVICE_ID = '0190f5c2-0000-7000-8000-000000000001';
export const DEVICE_TOKEN = 'test-token';

export function community(publicKey: string, change: Partial<CommunitySnapshot> = {}) {
	return {
		id: 1,
		name: '幸福里社区',
		timeZone: 'Asia/Shanghai',
		publicKey,
		offlineDailyLimit: 50,
		offlineMaxAgeHours: 72,
		countDifferenceLimit: 5,
		...change
	} satisfies CommunitySnapshot;
}

export function resident(id: number, change: Partial<ResidentSnapshot> = {}): ResidentSnapshot {
	return {
		id,
		maskedName: '张*凤',
		household: `${id}室`,
		building: '3栋',
		balance: 100,
		activeSerials: [1],
		revokedSerials: [],
		...change
	};
}

export function item(id: number, change: Partial<ItemSnapshot> = {}): ItemSnapshot {
	return {
		id,
		name: `物品${id}`,
		category: '粮油',
		kind: 'goods',
		points: 10,
		stockTracked: true,
		stock: 5,
		imageUrl: null,
		active: true,
		sortOrder: id,
		...change
	};
}

/** The PIN every test staff member has unless told otherwise. */
export const STAFF_PIN = '246810';

// Hashed once, with few iterations: tests check the logic, the bench and pin.test.ts the cost.
let testPinHash: Promise<PinHash> | null = null;
export function testPin(): Promise<PinHash> {
	testPinHash ??= hashPin(STAFF_PIN, 1000);
	return testPinHash;
}

export async function staffMember(
	id: number,
	change: Partial<StaffSnapshot> = {}
): Promise<StaffSnapshot> {
	return {
		id,
		name: id === 1 ? '店员老陈' : `店员${id}`,
		role: 'shopkeeper',
		active: true,
		pin: await testPin(),
		activeSerials: [1],
		revokedSerials: [],
		...change
	};
}

export function staffCard(keys: CommunityKeys, change: Partial<Credential> = {}) {
	return signCredential(
		{ kind: 'staff', communityId: 1, subjectId: 1, serial: 1, ...change },
		keys.privateKey
	);
}

export interface EnrolledKiosk {
	communityId?: number;
	publicKey: string;
	residents?: ResidentSnapshot[];
	items?: ItemSnapshot[];
	staff?: StaffSnapshot[];
	community?: Partial<CommunitySnapshot>;
	/** Defaults to now: a fresh pull. Null: never pulled. */
	lastPullAt?: string | null;
	cursor?: number;
}

/** Puts the kiosk in the state a completed enrollment and pull leave it in. */
export async function seedEnrolledKiosk(db: KioskDb, setup: EnrolledKiosk): Promise<void> {
	// One transaction, as a pull writes them.
	await db.transaction('rw', [db.meta, db.residents, db.items, db.staff], () =>
		seedTables(db, setup)
	);
}

async function seedTables(db: KioskDb, setup: EnrolledKiosk): Promise<void> {
	await db.meta.bulkPut([
		{ key: 'device', value: { deviceId: DEVICE_ID, token: DEVICE_TOKEN, kind: 'kiosk' } },
		{ key: 'community', value: community(setup.publicKey, setup.community) },
		{ key: 'cursor', value: setup.cursor ?? 0 }
	]);
	const lastPullAt = setup.lastPullAt === undefined ? new Date().toISOString() : setup.lastPullAt;
	if (lastPullAt !== null) await db.meta.put({ key: 'lastPullAt', value: lastPullAt });
	await db.residents.bulkPut(setup.residents ?? []);
	await db.items.bulkPut(setup.items ?? []);
	await db.staff.bulkPut(setup.staff ?? []);
}

export function residentCard(keys: CommunityKeys, change: Partial<Credential> = {}) {
	return signCredential(
		{ kind: 'resident', communityId: 1, subjectId: 1, serial: 1, ...change },
		keys.privateKey
	);
}
