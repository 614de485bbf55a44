import { expect, test } from '../fixtures/test';
import { forgeCard, residentCardsRichestFirst } from '../fixtures/test-cards';
import { layoutProblems } from './layout-problems';

/*
 * The counter's screens at the three sizes a kiosk comes in: landscape 1280×800 and 1920×1080,
 * portrait 1080×1920. On every screen nothing scrolls sideways, every button a finger must hit is
 * at least 56 px each way, and no visible text is smaller than 20 px. Each screen is saved as a
 * picture (test-results) for a person to look at.
 */

const SIZES = [
	{ name: 'landscape', width: 1280, height: 800 },
	{ name: 'tv', width: 1920, height: 1080 },
	{ name: 'portrait', width: 1080, height: 1920 }
] as const;

for (const size of SIZES) {
	test(`counter screens read well and take a finger at ${size.width}×${size.height}`, async ({
		kiosk,
		demoCards,
		serverDb
	}, testInfo) => {
		test.setTimeout(120_000);
		const page = kiosk.page;
		await page.setViewportSize({ width: size.width, height: size.height });
		const look = async (name: string) => {
			// Let a transition or a font swap settle before measuring.
			await page.waitForTimeout(300);
			await page.screenshot({ path: testInfo.outputPath(`${size.name}-${name}.png`) });
			expect(await layoutProblems(page), `${name} at ${size.width}×${size.height}`).toEqual({
				sidewaysScroll: 0,
				smallTargets: [],
				smallText: []
			});
		};

		await kiosk.waitForAttract();
		await look('01-attract');

		const resident = (await residentCardsRichestFirst(demoCards, serverDb))[0]!;
		await kiosk.scanByWedge(resident.credential);
		await kiosk.expectResident();
		await look('02-resident');

		const [cheapest, next] = await kiosk.availableItems();
		await kiosk.addItem(cheapest!.id);
		await kiosk.addItem(next!.id);
		await expect(kiosk.cartLines).toHaveCount(2);
		await look('03-cart');

		await page.getByTestId('confirm-redeem').click();
		await expect(page.getByTestId('confirm-yes')).toBeVisible();
		await look('04-confirm');

		await page.getByTestId('confirm-yes').click();
		await expect(kiosk.success).toBeVisible();
		await look('05-success');
		await page.getByRole('button', { name: '完成' }).click();
		await kiosk.waitForAttract();

		await kiosk.scanByWedge(forgeCard(resident.credential));
		await kiosk.expectProblem('forged');
		await look('06-forged-card');
		await kiosk.dismissMessage();
		await kiosk.waitForAttract();
	});
}
