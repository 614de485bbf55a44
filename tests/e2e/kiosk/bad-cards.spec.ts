import { expectNoA11yViolations } from '../fixtures/axe';
import type { ServerDb } from '../fixtures/server-db';
import { expect, test } from '../fixtures/test';
import {
	foreignCommunityCard,
	forgeCard,
	genuineResidentCards,
	judgeCard,
	residentCardsRichestFirst,
	signTestCard,
	truncateCard,
	type DemoCard
} from '../fixtures/test-cards';

/**
 * The sheet's own resident test card of a kind when it has one, else null. (A staff card read at
 * the attract screen opens shop mode instead: tests/e2e/shop covers those.)
 */
async function sheetCardJudged(
	cards: DemoCard[],
	serverDb: ServerDb,
	verdict: 'forged' | 'foreign_community'
): Promise<string | null> {
	const community = serverDb.community();
	for (const card of cards) {
		if (!card.credential.startsWith('CS1.R.')) continue;
		if ((await judgeCard(card.credential, community)) === verdict) return card.credential;
	}
	return null;
}

async function firstGenuineCard(cards: DemoCard[], serverDb: ServerDb): Promise<string> {
	const [card] = await genuineResidentCards(cards, serverDb.community());
	if (!card) throw new Error('the demo sheet has no genuine resident card');
	return card.credential;
}

test.describe('the counter explains a card it cannot accept', () => {
	test('garbage text is unreadable', async ({ kiosk }) => {
		await kiosk.scanByWedge('HELLO-THIS-IS-NOT-A-CARD');
		await kiosk.expectProblem('unreadable');
		await kiosk.dismissMessage();
		await kiosk.waitForAttract();
	});

	test("the sheet's not-a-card code is unreadable", async ({ kiosk, demoCards }) => {
		const notACard = demoCards.find((card) => card.status === 'unreadable');
		test.skip(!notACard, 'the demo sheet has no unreadable test card');
		await kiosk.scanByWedge(notACard!.credential);
		await kiosk.expectProblem('unreadable');
	});

	test('a card text cut short is unreadable', async ({ kiosk, demoCards, serverDb }) => {
		await kiosk.scanByWedge(truncateCard(await firstGenuineCard(demoCards, serverDb)));
		await kiosk.expectProblem('unreadable');
	});

	test('a card with a wrong signature is forged', async ({ kiosk, demoCards, serverDb }) => {
		const forged =
			(await sheetCardJudged(demoCards, serverDb, 'forged')) ??
			forgeCard(await firstGenuineCard(demoCards, serverDb));
		await kiosk.scanByWedge(forged);
		await kiosk.expectProblem('forged');
	});

	test("another community's valid card is foreign", async ({ kiosk, demoCards, serverDb }) => {
		const foreign =
			(await sheetCardJudged(demoCards, serverDb, 'foreign_community')) ??
			(await foreignCommunityCard(serverDb.community().id));
		await kiosk.scanByWedge(foreign);
		await kiosk.expectProblem('foreign_community');
	});

	test('a revoked card is refused as revoked', async ({ kiosk, demoCards, serverDb }) => {
		const community = serverDb.community();
		const fromSheet = demoCards.find((card) => card.status === 'revoked');
		const revoked = serverDb.revokedResidentCards()[0];
		let text = fromSheet?.credential;
		if (!text && revoked) {
			text = await signTestCard(community.privateKey, {
				kind: 'resident',
				communityId: community.id,
				subjectId: revoked.residentId,
				serial: revoked.serial
			});
		}
		if (!text) throw new Error('the demo community has no revoked card');
		await kiosk.scanByWedge(text);
		await kiosk.expectProblem('revoked');
	});

	test('a validly signed card of a resident the kiosk does not know is unknown', async ({
		kiosk,
		demoCards,
		serverDb
	}) => {
		const community = serverDb.community();
		const stranger =
			demoCards.find((card) => card.status === 'unknown')?.credential ??
			(await signTestCard(community.privateKey, {
				kind: 'resident',
				communityId: community.id,
				subjectId: serverDb.maxResidentId() + 1000,
				serial: 1
			}));
		await kiosk.scanByWedge(stranger);
		await kiosk.expectProblem('unknown_resident');
	});

	test('a staff card on the resident screen is explained, not opened', async ({
		kiosk,
		demoCards,
		serverDb
	}) => {
		const community = serverDb.community();
		const staffOnSheet = demoCards.find((card) => card.credential.startsWith('CS1.S.'));
		const staff = serverDb.staffCards()[0];
		const text =
			staffOnSheet?.credential ??
			(await signTestCard(community.privateKey, {
				kind: 'staff',
				communityId: community.id,
				subjectId: staff?.accountId ?? 1,
				serial: staff?.serial ?? 1
			}));
		// At the attract screen a staff card opens shop mode (tests/e2e/shop); with a resident at
		// the counter it is explained, and the resident's visit stays open.
		const [resident] = await genuineResidentCards(demoCards, community);
		if (!resident) throw new Error('no genuine resident card');
		await kiosk.scanByWedge(resident.credential);
		await kiosk.expectResident();
		await kiosk.scanByWedge(text);
		await kiosk.expectProblem('staff_card');
		await kiosk.dismissMessage();
		await expect(kiosk.residentPanel).toBeVisible();
	});
});

test('a second resident scanned while a cart is open is asked about, not switched to', async ({
	kiosk,
	demoCards,
	serverDb
}) => {
	// The first resident needs points for at least one item; the second is anyone else.
	const [first, second] = await residentCardsRichestFirst(demoCards, serverDb);
	if (!first || !second) throw new Error('the demo sheet needs two genuine resident cards');

	await kiosk.scanByWedge(first.credential);
	await kiosk.expectResident();
	const [item] = await kiosk.availableItems();
	if (!item) throw new Error('the first resident can take no item');
	await kiosk.addItem(item.id);
	await expect(kiosk.cartLines).toHaveCount(1);
	const firstName = await kiosk.residentName.innerText();

	await kiosk.scanByWedge(second.credential);

	await expect(kiosk.switchResidentDialog).toBeVisible();
	await expectNoA11yViolations(kiosk.page, 'kiosk switch resident question');
	await expect(kiosk.residentName).toHaveText(firstName);
	await expect(kiosk.cartLines).toHaveCount(1);
});
