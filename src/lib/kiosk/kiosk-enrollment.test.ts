import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '$lib/terminal/api-client';
import { ENROLL_MESSAGES } from '$lib/terminal/enrollment';
import { enrollKiosk } from './kiosk-enrollment';
import { getMeta, type KioskDb } from './local-db';
import {
	community,
	DEVICE_ID,
	freshDb,
	item,
	resident,
	staffMember
} from './testing/kiosk-fixtures';

let db: KioskDb;
afterEach(() => db?.close());

const KEY = 'A'.repeat(43);

function enrollServer(
	validCode: string,
	answerCommunity = community(KEY),
	requests: unknown[] = []
) {
	return new ApiClient({
		fetch: async (_input, init) => {
			const body = JSON.parse(String(init?.body)) as { code: string };
			requests.push(body);
			if (body.code !== validCode) {
				return Response.json({ error: 'invalid_code', message: '登记码无效' }, { status: 400 });
			}
			return Response.json({
				deviceId: DEVICE_ID,
				token: 'fresh-token',
				kind: 'kiosk',
				community: answerCommunity
			});
		}
	});
}

describe('enrolling the kiosk', () => {
	it('stores the device token and community and starts the pull from the beginning', async () => {
		db = freshDb();
		const requests: unknown[] = [];
		const result = await enrollKiosk(
			db,
			enrollServer('12345678', undefined, requests),
			'CSENROLL:12345678'
		);
		expect(result).toMatchObject({ ok: true, deviceId: DEVICE_ID, community: { id: 1 } });
		expect(requests).toEqual([{ code: '12345678', kind: 'kiosk' }]);
		expect(await getMeta(db, 'device')).toEqual({
			deviceId: DEVICE_ID,
			token: 'fresh-token',
			kind: 'kiosk'
		});
		expect(await getMeta(db, 'cursor')).toBe(0);
		expect(await getMeta(db, 'needsEnrollment')).toBe(false);
	});

	it('answers a wrong code and a dead network in plain Chinese', async () => {
		db = freshDb();
		expect(await enrollKiosk(db, enrollServer('12345678'), '8765-4321')).toEqual({
			ok: false,
			reason: 'invalid_code',
			message: ENROLL_MESSAGES.invalid_code
		});
		expect(await enrollKiosk(db, enrollServer('12345678'), 'hello')).toMatchObject({
			reason: 'invalid_code'
		});
		const offline = new ApiClient({
			fetch: async () => {
				throw new TypeError('fetch failed');
			}
		});
		expect(await enrollKiosk(db, offline, '1234-5678')).toMatchObject({
			ok: false,
			reason: 'network',
			message: '连不上服务器，请检查网络后再试。'
		});
		const busy = new ApiClient({
			fetch: async () =>
				Response.json({ error: 'rate_limited', message: '太频繁' }, { status: 429 })
		});
		expect(await enrollKiosk(db, busy, '1234-5678')).toMatchObject({ reason: 'rate_limited' });
		expect(await getMeta(db, 'device')).toBeUndefined();
	});

	it('keeps snapshots and cursor when enrolling again into the same community', async () => {
		db = freshDb();
		await enrollKiosk(db, enrollServer('12345678'), '12345678');
		await db.transaction('rw', [db.meta, db.residents], () => db.residents.put(resident(1)));
		await db.meta.bulkPut([
			{ key: 'cursor', value: 40 },
			{ key: 'needsEnrollment', value: true }
		]);
		await enrollKiosk(db, enrollServer('11112222'), '1111-2222');
		expect(await getMeta(db, 'cursor')).toBe(40);
		expect(await db.residents.count()).toBe(1);
		expect(await getMeta(db, 'needsEnrollment')).toBe(false);
	});

	it('forgets another community’s residents, items and staff when the kiosk moves', async () => {
		db = freshDb();
		await enrollKiosk(db, enrollServer('12345678'), '12345678');
		await db.transaction('rw', [db.meta, db.residents, db.items], () =>
			Promise.all([db.residents.put(resident(1)), db.items.put(item(1))])
		);
		await db.staff.put(await staffMember(1));
		await db.meta.put({ key: 'cursor', value: 40 });
		await enrollKiosk(db, enrollServer('11112222', community(KEY, { id: 2 })), '11112222');
		expect(await getMeta(db, 'cursor')).toBe(0);
		expect(await db.residents.count()).toBe(0);
		expect(await db.items.count()).toBe(0);
		expect(await db.staff.count()).toBe(0);
	});
});
