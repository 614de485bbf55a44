import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommunity } from '../office/communities';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import {
	ENROLL_ATTEMPT_LIMIT,
	authenticateDevice,
	enrollDevice,
	listOpenEnrollmentCodes,
	mintEnrollmentCode,
	revokeDevice
} from './enrollment';
import { hashToken } from './tokens';

let temp: TempDatabase;
let communityId: number;

beforeAll(async () => {
	temp = await openTempDatabase();
	communityId = await createCommunity(temp.db, { slug: 'enroll', name: '登记测试社区' });
});
afterAll(() => temp.dispose());

const client = { clientAddress: '10.0.0.1' };

describe('device enrollment', () => {
	it('enrolls a kiosk with a fresh code and hands back the community', async () => {
		const { code } = await mintEnrollmentCode(temp.db, { communityId, kind: 'kiosk' });
		expect(code).toMatch(/^\d{8}$/);
		const outcome = await enrollDevice(
			temp.db,
			{ code: `${code.slice(0, 4)}-${code.slice(4)}`, kind: 'kiosk' },
			client
		);
		expect(outcome).toMatchObject({
			ok: true,
			enrollment: { kind: 'kiosk', community: { id: communityId, name: '登记测试社区' } }
		});
	});

	it('accepts a code only once', async () => {
		const { code } = await mintEnrollmentCode(temp.db, { communityId, kind: 'kiosk' });
		expect((await enrollDevice(temp.db, { code, kind: 'kiosk' }, client)).ok).toBe(true);
		expect(await enrollDevice(temp.db, { code, kind: 'kiosk' }, client)).toMatchObject({
			ok: false,
			error: 'invalid_code'
		});
		expect((await listOpenEnrollmentCodes(temp.db, communityId)).map((c) => c.code)).not.toContain(
			code
		);
	});

	it('refuses an expired code', async () => {
		const minted = new Date('2020-01-01T00:00:00Z');
		const { code } = await mintEnrollmentCode(temp.db, { communityId, kind: 'kiosk', now: minted });
		expect(await enrollDevice(temp.db, { code, kind: 'kiosk' }, client)).toMatchObject({
			ok: false
		});
	});

	it('refuses a display code on a kiosk without spending it', async () => {
		const { code } = await mintEnrollmentCode(temp.db, { communityId, kind: 'display' });
		expect(await enrollDevice(temp.db, { code, kind: 'kiosk' }, client)).toMatchObject({
			ok: false,
			message: expect.stringContaining('大堂屏幕')
		});
		expect((await enrollDevice(temp.db, { code, kind: 'display' }, client)).ok).toBe(true);
	});

	it('stores only the sha256 of the token and knows the device by it', async () => {
		const { code } = await mintEnrollmentCode(temp.db, { communityId, kind: 'kiosk' });
		const outcome = await enrollDevice(temp.db, { code, kind: 'kiosk', name: '一号柜台' }, client);
		if (!outcome.ok) throw new Error(outcome.message);
		const { token, deviceId } = outcome.enrollment;
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const row = await temp.db
			.selectFrom('devices')
			.selectAll()
			.where('id', '=', deviceId)
			.executeTakeFirstOrThrow();
		expect(row.token_hash).toBe(hashToken(token));
		expect(JSON.stringify(row)).not.toContain(token);
		expect(row.name).toBe('一号柜台');

		expect((await authenticateDevice(temp.db, `Bearer ${token}`))?.id).toBe(deviceId);
		expect(await authenticateDevice(temp.db, `Bearer ${token.slice(0, -1)}x`)).toBeNull();
		expect(await authenticateDevice(temp.db, token)).toBeNull();
		expect(await authenticateDevice(temp.db, null)).toBeNull();

		expect(await revokeDevice(temp.db, communityId, deviceId)).toBe(true);
		expect(await authenticateDevice(temp.db, `Bearer ${token}`)).toBeNull();
	});

	it('pauses enrollment from an address after too many wrong codes', async () => {
		const guesser = { clientAddress: '10.9.9.9' };
		for (let i = 0; i < ENROLL_ATTEMPT_LIMIT.maxFailures; i++) {
			expect(
				await enrollDevice(temp.db, { code: '00000000', kind: 'kiosk' }, guesser)
			).toMatchObject({
				error: 'invalid_code'
			});
		}
		const { code } = await mintEnrollmentCode(temp.db, { communityId, kind: 'kiosk' });
		expect(await enrollDevice(temp.db, { code, kind: 'kiosk' }, guesser)).toMatchObject({
			ok: false,
			error: 'rate_limited'
		});
		expect((await enrollDevice(temp.db, { code, kind: 'kiosk' }, client)).ok).toBe(true);
	});
});
