import { expect, test } from '../fixtures/test';
import { genuineResidentCards } from '../fixtures/test-cards';

test('a keyboard-wedge scan of a resident card opens the resident with the server balance', async ({
	kiosk,
	demoCards,
	serverDb
}) => {
	const [card] = await genuineResidentCards(demoCards, serverDb.community());
	if (!card) throw new Error('the demo sheet has no genuine resident card');

	await kiosk.scanByWedge(card.credential);

	await kiosk.expectResident();
	expect(await kiosk.balance()).toBe(serverDb.ledgerBalance(card.residentId));
	await expect(kiosk.itemCards.first()).toBeVisible();

	await kiosk.exit();
	await expect(kiosk.residentPanel).toBeHidden();
	await expect(kiosk.page.getByText(card.credential)).toHaveCount(0);
});

test('a person typing a card number slowly is not taken for a scanner', async ({
	kiosk,
	demoCards,
	serverDb
}) => {
	const [card] = await genuineResidentCards(demoCards, serverDb.community());
	if (!card) throw new Error('the demo sheet has no genuine resident card');

	await kiosk.typeKeys(`${card.credential.slice(0, 20)}\n`, 120);

	await expect(kiosk.attract).toBeVisible();
	await expect(kiosk.residentPanel).toBeHidden();
	await expect(kiosk.message).toBeHidden();
});
