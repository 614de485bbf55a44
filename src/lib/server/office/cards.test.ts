import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPublicKey, verifyCredential } from '$lib/domain/credential';
import { createOfficeAccount } from './accounts';
import { listAudit } from './audit';
import { printableCards } from './card-print';
import {
	issueCardsForBuilding,
	issueResidentCard,
	listResidentCards,
	recordCardReprint,
	reportCardLost,
	type CardActor
} from './cards';
import { createCommunity } from './communities';
import { addHousehold, addResident, latestChange } from '../testing/office-fixtures';
import { openTempDatabase, type TempDatabase } from '../testing/temp-database';

let temp: TempDatabase;
let admin: CardActor;
let otherAdmin: CardActor;
let wang: number;
let li: number;
let movedOut: number;

beforeEach(async () => {
	temp = await openTempDatabase();
	const communityId = await createCommunity(temp.db, { slug: 'cards', name: '发卡社区' });
	const account = (username: string, displayName: string) =>
		createOfficeAccount(temp.db, {
			communityId,
			username,
			displayName,
			password: 'secret-password',
			role: 'admin'
		});
	admin = { communityId, accountId: await account('admin', '张主任') };
	otherAdmin = { communityId, accountId: await account('admin2', '刘干事') };
	const a = await addHousehold(temp.db, communityId, '3栋', '3栋2单元501');
	const b = await addHousehold(temp.db, communityId, '3栋', '3栋1单元101');
	const c = await addHousehold(temp.db, communityId, '5栋', '5栋1单元102');
	wang = await addResident(temp.db, communityId, a, '王秀英');
	li = await addResident(temp.db, communityId, b, '李建国');
	movedOut = await addResident(temp.db, communityId, a, '赵迁出', { active: false });
	await addResident(temp.db, communityId, c, '陈五栋');
});

afterEach(() => temp.dispose());

const cardsOf = async (residentId: number) =>
	(await listResidentCards(temp.db, admin.communityId, residentId)).map((card) => ({
		serial: card.serial,
		revoked: card.revokedAt !== null
	}));

describe('issuing a card', () => {
	it('issues serial 1, writes the audit row and tells the kiosks', async () => {
		const issued = await issueResidentCard(temp.db, admin, wang);
		expect(issued).toMatchObject({ ok: true, serial: 1 });
		expect(await cardsOf(wang)).toEqual([{ serial: 1, revoked: false }]);
		const [audit] = await listAudit(temp.db, admin.communityId);
		expect(audit).toMatchObject({
			action: 'card.issue',
			subject: `resident:${wang}`,
			account_id: admin.accountId,
			summary: '为 王秀英（3栋2单元501） 发卡（第 1 张）'
		});
		expect(await latestChange(temp.db, 'resident', wang)).toMatchObject({
			activeSerials: [1],
			revokedSerials: []
		});
	});

	it('refuses a second valid card, and a resident who moved out, changing nothing', async () => {
		await issueResidentCard(temp.db, admin, wang);
		expect(await issueResidentCard(temp.db, admin, wang)).toEqual({
			ok: false,
			message: '这位居民已经有一张有效的卡：可以补打，丢了请挂失补卡'
		});
		expect(await issueResidentCard(temp.db, admin, movedOut)).toEqual({
			ok: false,
			message: '这位居民已迁出，不能发卡'
		});
		expect(await issueResidentCard(temp.db, admin, 9999)).toMatchObject({ ok: false });
		expect(await cardsOf(movedOut)).toEqual([]);
		expect(await listAudit(temp.db, admin.communityId)).toHaveLength(1);
	});

	it('refuses a resident of another community', async () => {
		const other = await createCommunity(temp.db, { slug: 'other', name: '别的社区' });
		expect(
			await issueResidentCard(temp.db, { communityId: other, accountId: admin.accountId }, wang)
		).toEqual({ ok: false, message: '没有找到这位居民' });
	});
});

describe('reporting a card lost', () => {
	it('revokes with reason, time and who, and issues the replacement in one step', async () => {
		const issued = await issueResidentCard(temp.db, admin, wang);
		if (!issued.ok) throw new Error(issued.message);
		const now = new Date('2026-12-06T08:00:00Z');
		const lost = await reportCardLost(
			temp.db,
			admin,
			{ cardId: issued.cardId, reason: '  买菜时丢了 ' },
			now
		);
		expect(lost).toMatchObject({ ok: true, replacement: { serial: 2 } });
		const [replacement, old] = await listResidentCards(temp.db, admin.communityId, wang);
		expect(old).toMatchObject({
			serial: 1,
			revokedAt: now.toISOString(),
			revokedReason: '买菜时丢了',
			revokedByName: '张主任'
		});
		expect(replacement).toMatchObject({ serial: 2, revokedAt: null });
		expect(await latestChange(temp.db, 'resident', wang)).toMatchObject({
			activeSerials: [2],
			revokedSerials: [1]
		});
		const [audit] = await listAudit(temp.db, admin.communityId, { group: 'card' });
		expect(audit?.summary).toBe(
			'挂失 王秀英（3栋2单元501） 的第 1 张卡（买菜时丢了），补发第 2 张'
		);
	});

	it('lets exactly one of two admins revoke the same card at once, and tells the other', async () => {
		const issued = await issueResidentCard(temp.db, admin, wang);
		if (!issued.ok) throw new Error(issued.message);
		const results = await Promise.all([
			reportCardLost(temp.db, admin, { cardId: issued.cardId, reason: '丢了' }),
			reportCardLost(temp.db, otherAdmin, { cardId: issued.cardId, reason: '被偷了' })
		]);
		expect(results.filter((result) => result.ok)).toHaveLength(1);
		const loser = results.find((result) => !result.ok);
		expect(loser).toEqual({
			ok: false,
			message: expect.stringMatching(/^这张卡已经由 (张主任|刘干事) 在 .+ 挂失了，没有再挂失一次/)
		});
		expect(await cardsOf(wang)).toEqual([
			{ serial: 2, revoked: false },
			{ serial: 1, revoked: true }
		]);
		expect(await listAudit(temp.db, admin.communityId, { group: 'card' })).toHaveLength(2);
	});

	it('needs a reason of at most 100 characters', async () => {
		const issued = await issueResidentCard(temp.db, admin, wang);
		if (!issued.ok) throw new Error(issued.message);
		for (const reason of ['   ', 'x'.repeat(101)]) {
			expect(await reportCardLost(temp.db, admin, { cardId: issued.cardId, reason })).toMatchObject(
				{ ok: false }
			);
		}
		expect(await cardsOf(wang)).toEqual([{ serial: 1, revoked: false }]);
	});

	it('gives a resident who moved out no replacement', async () => {
		const issued = await issueResidentCard(temp.db, admin, li);
		if (!issued.ok) throw new Error(issued.message);
		await temp.db.updateTable('residents').set({ active: 0 }).where('id', '=', li).execute();
		expect(
			await reportCardLost(temp.db, admin, { cardId: issued.cardId, reason: '迁出收回' })
		).toEqual({ ok: true, replacement: null });
		expect(await cardsOf(li)).toEqual([{ serial: 1, revoked: true }]);
	});

	it('revokes without a replacement when asked, and the resident can get a card later', async () => {
		const issued = await issueResidentCard(temp.db, admin, li);
		if (!issued.ok) throw new Error(issued.message);
		expect(
			await reportCardLost(temp.db, admin, {
				cardId: issued.cardId,
				reason: '遗失，暂不补卡',
				replace: false
			})
		).toEqual({ ok: true, replacement: null });
		expect(await cardsOf(li)).toEqual([{ serial: 1, revoked: true }]);
		const [audit] = await listAudit(temp.db, admin.communityId);
		expect(audit).toMatchObject({ action: 'card.revoke', account_id: admin.accountId });
		expect(await issueResidentCard(temp.db, admin, li)).toMatchObject({ ok: true, serial: 2 });
	});

	it("runs in the caller's transaction, and is undone with it", async () => {
		const issued = await issueResidentCard(temp.db, admin, li);
		if (!issued.ok) throw new Error(issued.message);
		await expect(
			temp.db.transaction().execute(async (trx) => {
				await reportCardLost(trx, admin, { cardId: issued.cardId, reason: '丢了' });
				throw new Error('the caller changes its mind');
			})
		).rejects.toThrow('the caller changes its mind');
		expect(await cardsOf(li)).toEqual([{ serial: 1, revoked: false }]);
	});
});

describe('issuing cards for a building', () => {
	it('gives every resident of the building who lives here and has no valid card one card', async () => {
		await issueResidentCard(temp.db, admin, wang);
		const bulk = await issueCardsForBuilding(temp.db, admin, '3栋');
		expect(bulk).toMatchObject({ ok: true, cardIds: [expect.any(Number)] });
		expect(await cardsOf(li)).toEqual([{ serial: 1, revoked: false }]);
		expect(await cardsOf(wang)).toEqual([{ serial: 1, revoked: false }]);
		expect(await cardsOf(movedOut)).toEqual([]);
		const [audit] = await listAudit(temp.db, admin.communityId);
		expect(audit).toMatchObject({
			action: 'card.bulk_issue',
			summary: '为 3栋 没有卡的 1 位居民发卡'
		});
		expect(await issueCardsForBuilding(temp.db, admin, '3栋')).toEqual({
			ok: false,
			message: '3栋 的居民都已经有卡了'
		});
	});

	it('replaces a lost card only through 挂失补卡, then skips the resident', async () => {
		const issued = await issueResidentCard(temp.db, admin, li);
		if (!issued.ok) throw new Error(issued.message);
		await reportCardLost(temp.db, admin, { cardId: issued.cardId, reason: '丢了' });
		const bulk = await issueCardsForBuilding(temp.db, admin, '3栋');
		expect(bulk).toMatchObject({ ok: true, cardIds: [expect.any(Number)] });
		expect(await cardsOf(li)).toEqual([
			{ serial: 2, revoked: false },
			{ serial: 1, revoked: true }
		]);
	});
});

describe('printing and reprinting', () => {
	it('prints the same signed credential each time, and never a revoked card', async () => {
		const issued = await issueResidentCard(temp.db, admin, wang);
		if (!issued.ok) throw new Error(issued.message);
		const first = await printableCards(temp.db, admin.communityId, [issued.cardId]);
		const again = await printableCards(temp.db, admin.communityId, [issued.cardId]);
		expect(first.cards).toHaveLength(1);
		expect(again.cards[0]?.credential).toBe(first.cards[0]?.credential);
		expect(first.cards[0]).toMatchObject({
			name: '王秀英',
			line: '3栋2单元501',
			number: `${wang}-1`
		});
		expect(first.cards[0]?.qrSvg).toMatch(/^<svg/);

		const community = await temp.db
			.selectFrom('communities')
			.select('public_key')
			.where('id', '=', admin.communityId)
			.executeTakeFirstOrThrow();
		const check = await verifyCredential(
			first.cards[0]!.credential,
			admin.communityId,
			await importPublicKey(community.public_key)
		);
		expect(check).toEqual({
			ok: true,
			credential: { kind: 'resident', communityId: admin.communityId, subjectId: wang, serial: 1 }
		});

		expect(await recordCardReprint(temp.db, admin, issued.cardId)).toMatchObject({ ok: true });
		expect((await listAudit(temp.db, admin.communityId))[0]?.action).toBe('card.reprint');

		await reportCardLost(temp.db, admin, { cardId: issued.cardId, reason: '丢了' });
		expect((await printableCards(temp.db, admin.communityId, [issued.cardId])).cards).toEqual([]);
		expect(await recordCardReprint(temp.db, admin, issued.cardId)).toEqual({
			ok: false,
			message: '这张卡已挂失，不能再打印'
		});
	});
});
