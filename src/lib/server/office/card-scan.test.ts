import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCommunityPrivateKey, residentCardText, staffCardText } from '../keys/community-keys';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';
import { createPointsWorld, type PointsWorld } from '../testing/points-fixtures';
import { residentForCard } from './card-scan';

let temp: TempDatabase;
let world: PointsWorld;

beforeEach(async () => {
	temp = await openTempDatabase();
	world = await createPointsWorld(temp.db);
});

afterEach(() => temp.dispose());

async function issueCard(communityId: number, residentId: number, serial = 1, revoked = false) {
	await temp.db
		.insertInto('cards')
		.values({
			community_id: communityId,
			kind: 'resident',
			resident_id: residentId,
			office_account_id: null,
			serial,
			issued_at: new Date().toISOString(),
			revoked_at: revoked ? new Date().toISOString() : null
		})
		.execute();
	const { private_key } = await temp.db
		.selectFrom('communities')
		.select('private_key')
		.where('id', '=', communityId)
		.executeTakeFirstOrThrow();
	const key = await importCommunityPrivateKey(private_key);
	return residentCardText(key, { communityId, residentId, serial });
}

describe('residentForCard', () => {
	it('finds the resident of a valid card, with a masked name and the household', async () => {
		const text = await issueCard(world.communityId, world.residents[0]!);
		const outcome = await residentForCard(temp.db, world.communityId, text);
		expect(outcome).toEqual({
			ok: true,
			resident: {
				id: world.residents[0],
				maskedName: expect.stringMatching(/^居\*号$/),
				household: expect.any(String)
			}
		});
	});

	it('refuses a revoked card', async () => {
		const text = await issueCard(world.communityId, world.residents[0]!, 1, true);
		expect(await residentForCard(temp.db, world.communityId, text)).toEqual({
			ok: false,
			message: '这张卡已经挂失停用，请使用新卡或在名单里查找这位居民'
		});
	});

	it('refuses a card of another community', async () => {
		const text = await issueCard(world.foreignCommunityId, world.foreignResident);
		expect(await residentForCard(temp.db, world.communityId, text)).toEqual({
			ok: false,
			message: '这是其他社区的积分卡，不能在本社区记积分'
		});
	});

	it('refuses a forged card (signed by another key)', async () => {
		const foreignText = await issueCard(world.foreignCommunityId, world.foreignResident);
		// The foreign community's signature over a text that claims our community.
		const { private_key } = await temp.db
			.selectFrom('communities')
			.select('private_key')
			.where('id', '=', world.foreignCommunityId)
			.executeTakeFirstOrThrow();
		const forged = await residentCardText(await importCommunityPrivateKey(private_key), {
			communityId: world.communityId,
			residentId: world.residents[0]!,
			serial: 1
		});
		expect(foreignText).not.toBe(forged);
		expect(await residentForCard(temp.db, world.communityId, forged)).toEqual({
			ok: false,
			message: '这张卡的签名不对，可能是伪造的，请核对后再试'
		});
	});

	it('refuses text that is no card, a staff card, a card never issued and a moved-out resident’s card', async () => {
		expect(await residentForCard(temp.db, world.communityId, '<script>alert(1)</script>')).toEqual({
			ok: false,
			message: '这不是积分卡的二维码，请扫描居民的积分卡'
		});
		const { private_key } = await temp.db
			.selectFrom('communities')
			.select('private_key')
			.where('id', '=', world.communityId)
			.executeTakeFirstOrThrow();
		const key = await importCommunityPrivateKey(private_key);
		const staff = await staffCardText(key, {
			communityId: world.communityId,
			staffId: 1,
			serial: 1
		});
		expect((await residentForCard(temp.db, world.communityId, staff)).ok).toBe(false);
		const neverIssued = await residentCardText(key, {
			communityId: world.communityId,
			residentId: world.residents[1]!,
			serial: 7
		});
		expect(await residentForCard(temp.db, world.communityId, neverIssued)).toEqual({
			ok: false,
			message: '系统里没有这张卡，请在名单里查找这位居民'
		});
		const movedOut = await issueCard(world.communityId, world.movedOut);
		expect(await residentForCard(temp.db, world.communityId, movedOut)).toEqual({
			ok: false,
			message: '这位居民已迁出，不能再记积分'
		});
	});
});
