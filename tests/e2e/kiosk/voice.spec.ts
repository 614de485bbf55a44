import type { Locator, Page, TestInfo } from '@playwright/test';
import { expect, test } from '../fixtures/test';
import { installFakeCamera } from '../fixtures/fake-camera';
import { forgeCard, residentCardsRichestFirst } from '../fixtures/test-cards';
import { ShopPage } from '../shop/shop-page';
import { staffCard } from '../shop/staff-cards';
import { KioskPage } from './kiosk-page';
import { layoutProblems } from './layout-problems';
import { VoiceRecorder } from './voice-recorder';
import { expectNoA11yViolations } from '../fixtures/axe';

/*
 * 语音播报: a resident who cannot read the screen well hears a short Mandarin sentence at each
 * moment that matters (card read with the balance, not enough points, success with the new
 * balance, a refused card), never their name; a kiosk without a Mandarin voice chimes instead;
 * staff turn it off in shop mode and the counter falls silent.
 */

const SIZES = [
	{ width: 1280, height: 800 },
	{ width: 1080, height: 1920 }
] as const;

/** An enrolled, synced kiosk whose speech and chimes are recorded from the first script on. */
async function kioskWithVoice(
	page: Page,
	mintEnrollCode: () => Promise<string>,
	mandarin: boolean
): Promise<{ kiosk: KioskPage; voice: VoiceRecorder }> {
	await installFakeCamera(page, null);
	const voice = await VoiceRecorder.install(page, { mandarin });
	const kiosk = new KioskPage(page);
	await kiosk.open();
	await kiosk.enroll(await mintEnrollCode());
	await kiosk.waitForSynced();
	return { kiosk, voice };
}

/** An item card the open resident cannot afford, switching category tabs to find one. */
async function unaffordableItem(kiosk: KioskPage): Promise<Locator> {
	const card = kiosk.page.locator('[data-testid="item-card"][data-reason="not_enough_points"]');
	const tabs = await kiosk.categoryTabs.all();
	for (const tab of [null, ...tabs]) {
		if (tab) await tab.click();
		if (await card.first().isVisible()) return card.first();
	}
	throw new Error('every item is within this resident’s points');
}

async function lookAtBothSizes(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	for (const size of SIZES) {
		await page.setViewportSize(size);
		// Let the layout and fonts settle before the picture.
		await page.waitForTimeout(300);
		await page.screenshot({
			path: testInfo.outputPath(`${name}-${size.width}x${size.height}.png`)
		});
		expect(await layoutProblems(page), `${name} at ${size.width}×${size.height}`).toEqual({
			sidewaysScroll: 0,
			smallTargets: [],
			smallText: []
		});
	}
	await page.setViewportSize(SIZES[0]);
}

test('the counter says the balance, a shortfall, a refused card and the new balance, never a name; 关 silences it', async ({
	page,
	mintEnrollCode,
	demoCards,
	serverDb
}, testInfo) => {
	test.setTimeout(120_000);
	const { kiosk, voice } = await kioskWithVoice(page, mintEnrollCode, true);
	const cards = await residentCardsRichestFirst(demoCards, serverDb);
	const balances = serverDb.ledgerBalances();
	const rich = cards[0]!;
	// The poorest resident with some points: some item is surely out of their reach.
	const poor = cards.findLast((card) => (balances.get(card.residentId) ?? 0) > 0) ?? rich;
	const names: string[] = [];
	const expected: string[] = [];

	// A card read: the greeting and the balance.
	await kiosk.scanByWedge(poor.credential);
	await kiosk.expectResident();
	names.push(await kiosk.residentName.innerText());
	expected.push(`您好，您有 ${await kiosk.balance()} 积分`);
	await expect.poll(() => voice.spokenTexts()).toEqual(expected);

	// An item out of reach: how many points are missing.
	const dear = await unaffordableItem(kiosk);
	const short = Number(await dear.getAttribute('data-points')) - (await kiosk.balance());
	// aria-disabled: Playwright would wait for it to be enabled; a finger taps it anyway.
	await dear.click({ force: true });
	await kiosk.expectProblem('not_enough_points');
	expected.push(`积分不够，还差 ${short} 分`);
	await expect.poll(() => voice.spokenTexts()).toEqual(expected);
	await kiosk.dismissMessage();
	await kiosk.exit();

	// A forged card: one plain sentence.
	await kiosk.scanByWedge(forgeCard(rich.credential));
	await kiosk.expectProblem('forged');
	expected.push('这张卡不能使用，请找工作人员');
	await expect.poll(() => voice.spokenTexts()).toEqual(expected);
	await kiosk.dismissMessage();

	// A redemption: success and what is left.
	await kiosk.scanByWedge(rich.credential);
	await kiosk.expectResident();
	names.push(await kiosk.residentName.innerText());
	expected.push(`您好，您有 ${await kiosk.balance()} 积分`);
	const [cheapest] = await kiosk.availableItems();
	await kiosk.addItem(cheapest!.id);
	const newBalance = await kiosk.confirm();
	expected.push(`兑换成功，还剩 ${newBalance} 积分`);
	await expect.poll(() => voice.spokenTexts()).toEqual(expected);

	const spoken = await voice.spoken();
	for (const utterance of spoken) {
		expect(utterance).toMatchObject({ lang: 'zh-CN', volume: 0.7 });
		// The sentences are exactly the expected ones, built from numbers only; and to be plain:
		for (const name of names) expect(utterance.text).not.toContain(name);
	}
	// The thanks screen and the way back to the attract screen said nothing more.
	await page.getByRole('button', { name: '完成' }).click();
	await kiosk.waitForAttract();
	expect(await voice.spokenTexts()).toEqual(expected);

	// Staff turn the voice off in shop mode.
	const shop = new ShopPage(kiosk);
	const keeper = staffCard(demoCards, 'shopkeeper');
	await page.getByTestId('open-shop-mode').click();
	await shop.signIn(keeper.credential, keeper.pin);
	await lookAtBothSizes(page, testInfo, 'voice-shop-home');
	await page.getByTestId('shop-action-voice').click();
	const settings = page.getByTestId('voice-settings');
	await expect(settings).toBeVisible();
	await expectNoA11yViolations(page, 'shop: 语音播报');
	const on = page.locator('[data-testid="voice-enabled"][data-choice="true"]');
	const off = page.locator('[data-testid="voice-enabled"][data-choice="false"]');
	await expect(on).toHaveAttribute('aria-checked', 'true');
	await expect(page.getByTestId('voice-device')).toHaveAttribute('data-mandarin', 'true');
	await expect(page.locator('[data-testid="voice-volume"][data-choice="medium"]')).toHaveAttribute(
		'aria-checked',
		'true'
	);
	await lookAtBothSizes(page, testInfo, 'voice-settings-on');

	// 高 is heard at once, at full volume.
	await voice.clear();
	await page.locator('[data-testid="voice-volume"][data-choice="high"]').click();
	await expect
		.poll(() => voice.spoken())
		.toEqual([{ text: '您好，您有 120 积分', lang: 'zh-CN', volume: 1 }]);

	await off.click();
	await expect(off).toHaveAttribute('aria-checked', 'true');
	await expect(page.getByTestId('voice-preview')).toBeDisabled();
	await lookAtBothSizes(page, testInfo, 'voice-settings-off');
	await page.getByTestId('shop-back').click();
	await expect(page.getByTestId('shop-action-voice')).toContainText('语音播报：关');
	await shop.exit();
	await kiosk.waitForAttract();

	// Silence, and it stays so after a restart of the kiosk.
	await voice.clear();
	await kiosk.scanByWedge(forgeCard(rich.credential));
	await kiosk.expectProblem('forged');
	await kiosk.dismissMessage();
	await page.reload();
	await kiosk.waitForAttract();
	await kiosk.scanByWedge(poor.credential);
	await kiosk.expectResident();
	await (await unaffordableItem(kiosk)).click({ force: true });
	await kiosk.expectProblem('not_enough_points');
	expect(await voice.spoken()).toEqual([]);
	expect(await voice.tones()).toEqual([]);
});

test('a kiosk without a Mandarin voice chimes: rising for a card read and a redemption, low for a refusal', async ({
	page,
	mintEnrollCode,
	demoCards,
	serverDb
}) => {
	const { kiosk, voice } = await kioskWithVoice(page, mintEnrollCode, false);
	const [rich] = await residentCardsRichestFirst(demoCards, serverDb);

	await kiosk.scanByWedge(rich!.credential);
	await kiosk.expectResident();
	await expect.poll(() => voice.tones()).toHaveLength(2);
	const [low, high] = await voice.tones();
	expect(high).toBeGreaterThan(low!);

	await kiosk.exit();
	await kiosk.scanByWedge(forgeCard(rich!.credential));
	await kiosk.expectProblem('forged');
	await expect.poll(() => voice.tones()).toHaveLength(4);
	const refusal = (await voice.tones()).slice(2);
	expect(refusal[1]).toBeLessThan(refusal[0]!);
	expect(Math.max(...refusal)).toBeLessThan(low!);

	await kiosk.dismissMessage();
	await kiosk.scanByWedge(rich!.credential);
	await kiosk.expectResident();
	const [cheapest] = await kiosk.availableItems();
	await kiosk.addItem(cheapest!.id);
	await kiosk.confirm();
	await expect.poll(() => voice.tones()).toHaveLength(8);
	expect(await voice.spoken()).toEqual([]);
});
