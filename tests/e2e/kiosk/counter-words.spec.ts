import type { Page, TestInfo } from '@playwright/test';
import { expectNoA11yViolations } from '../fixtures/axe';
import { expect, test } from '../fixtures/test';
import { residentCardsRichestFirst, signTestCard } from '../fixtures/test-cards';
import { KioskPage } from './kiosk-page';
import { layoutProblems } from './layout-problems';

/*
 * The counter speaks the resident's language: the card is the 积分卡 printed on it, a counter with
 * only a USB scanner explains the scanner, the idle reset asks 还在吗？ first, a resident short of
 * points sees what they can afford and how to earn more, and a card read while the kiosk is still
 * loading its community waits instead of failing.
 */

const LANDSCAPE = { width: 1280, height: 800 };
const PORTRAIT = { width: 1080, height: 1920 };

/** Saves the screen at both kiosk sizes (for a person to look at) and checks it takes a finger. */
async function lookAtBothSizes(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	for (const size of [LANDSCAPE, PORTRAIT]) {
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
	await page.setViewportSize(LANDSCAPE);
}

/** A counter whose browser has no camera at all: only the USB scanner reads cards. */
async function withoutCamera(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const mediaDevices = navigator.mediaDevices;
		if (!mediaDevices) return;
		mediaDevices.enumerateDevices = async () => [];
		mediaDevices.getUserMedia = async () => {
			throw new DOMException('Requested device not found', 'NotFoundError');
		};
	});
}

test('the attract screen asks for the 积分卡 and offers no bank card or phone code', async ({
	kiosk
}, testInfo) => {
	await expect(kiosk.attract).toContainText('请出示积分卡');
	await expect(kiosk.attract).toHaveAttribute('data-reader', 'camera');
	await expect(kiosk.scanPreview).not.toHaveAttribute('aria-hidden', 'true');
	await expect(kiosk.page.getByText(/信用卡|手机/)).toHaveCount(0);
	// The outbox count is for staff (shop mode shows it), not for residents.
	await expect(kiosk.syncStatus).not.toContainText('待同步');
	await lookAtBothSizes(kiosk.page, testInfo, 'words-attract-camera');
});

test('a counter with only a USB scanner shows how to use the scanner, not an empty camera box', async ({
	page,
	mintEnrollCode
}, testInfo) => {
	await withoutCamera(page);
	const kiosk = new KioskPage(page);
	await kiosk.open();
	await kiosk.enroll(await mintEnrollCode());
	await kiosk.waitForSynced();

	await expect(kiosk.attract).toHaveAttribute('data-reader', 'scanner');
	await expect(page.getByTestId('scanner-steps')).toContainText('对准积分卡上的二维码');
	await expect(kiosk.scanPreview).toHaveAttribute('aria-hidden', 'true');
	await expect(page.getByText('摄像头')).toHaveCount(0);
	await lookAtBothSizes(page, testInfo, 'words-attract-scanner-only');

	// A payment code or a worn card: the advice names the reader this counter has.
	await kiosk.scanByWedge('https://qr.alipay.com/fkx12345');
	await kiosk.expectProblem('unreadable');
	await expect(kiosk.message).toContainText('对准扫码枪');
	await expect(kiosk.message).not.toContainText('摄像头');
});

test('the idle reset asks 还在吗？ with a countdown first, and 退出 with goods asks too', async ({
	kiosk,
	demoCards,
	serverDb
}, testInfo) => {
	test.setTimeout(90_000);
	const page = kiosk.page;
	// 20 s of idleness: 还在吗？ for the last 10 (at most half the idle time).
	await page.goto('/kiosk?idle=20');
	await kiosk.waitForAttract();
	const resident = (await residentCardsRichestFirst(demoCards, serverDb))[0]!;
	await kiosk.scanByWedge(resident.credential);
	await kiosk.expectResident();
	const [cheapest] = await kiosk.availableItems();
	await kiosk.addItem(cheapest!.id);
	await expect(kiosk.cartLines).toHaveCount(1);

	await expect(kiosk.idleWarning).toBeVisible({ timeout: 25_000 });
	await expect(kiosk.idleWarning).toContainText('还在吗？');
	expect(Number(await kiosk.idleSeconds.innerText())).toBeLessThanOrEqual(10);
	await lookAtBothSizes(page, testInfo, 'words-idle-warning');

	await kiosk.stayAtCounter();
	await expect(kiosk.residentPanel).toBeVisible();
	await expect(kiosk.cartLines).toHaveCount(1);

	await page.getByTestId('exit').click();
	await expect(kiosk.exitConfirmDialog).toBeVisible();
	await page.getByTestId('exit-cancel').click();
	await expect(kiosk.exitConfirmDialog).toBeHidden();
	await expect(kiosk.cartLines).toHaveCount(1);

	// Nobody answers: the warning counts down and the counter forgets the visit.
	await expect(kiosk.idleWarning).toBeVisible({ timeout: 25_000 });
	await kiosk.waitForAttract();
	await expect(kiosk.idleWarning).toBeHidden();
	await expect(kiosk.residentPanel).toBeHidden();
});

test('a resident with few points sees what they can afford first, then how to earn points', async ({
	kiosk,
	serverDb
}, testInfo) => {
	const page = kiosk.page;
	// A demo resident (other specs running beside this one add residents of their own buildings).
	const poorest = serverDb
		.residentCardsByBalance()
		.filter((resident) => /^\d+栋\d+单元\d+$/.test(resident.household))
		.at(-1)!;
	expect(poorest.balance, 'the demo has a resident with few points').toBeLessThan(10);
	const community = serverDb.community();
	const card = await signTestCard(community.privateKey, {
		kind: 'resident',
		communityId: community.id,
		subjectId: poorest.residentId,
		serial: poorest.serial
	});

	await kiosk.scanByWedge(card);
	await kiosk.expectResident();
	await expect(kiosk.earnPoints).toBeVisible();
	// The first rule of the demo's points list, as the lobby TV shows it.
	await expect(kiosk.earnPoints).toContainText('清扫楼道');
	await expect(kiosk.residentHome).toHaveText(/^\d+栋\d+单元\d+$/);

	// On the tab shown, every card the resident can take comes before every one they cannot.
	const availability = await kiosk.itemCards.evaluateAll((cards) =>
		cards.map((card) => card.getAttribute('data-available'))
	);
	expect(availability.indexOf('true')).toBeLessThanOrEqual(availability.lastIndexOf('true'));
	if (availability.includes('true')) {
		expect(availability.lastIndexOf('true')).toBeLessThan(availability.indexOf('false'));
	}
	await expect(page.getByText('积分不足')).toHaveCount(0);
	await expect(page.getByText(/还差 \d+ 分/).first()).toBeVisible();
	await lookAtBothSizes(page, testInfo, 'words-few-points');
});

test('a card read before the first pull has finished waits for the community, then opens', async ({
	freshKiosk,
	mintEnrollCode,
	demoCards,
	serverDb
}) => {
	const page = freshKiosk.page;
	let releasePull: () => void = () => undefined;
	const pullHeld = new Promise<void>((resolve) => (releasePull = resolve));
	let held = false;
	await page.route('**/api/sync/pull**', async (route) => {
		if (!held) {
			held = true;
			await pullHeld;
		}
		await route.continue();
	});

	await freshKiosk.enroll(await mintEnrollCode());
	const resident = (await residentCardsRichestFirst(demoCards, serverDb))[0]!;
	await freshKiosk.scanByWedge(resident.credential);

	const loading = page.getByTestId('community-loading');
	await expect(loading).toBeVisible();
	await expect(loading).toContainText('正在载入社区资料');
	await expectNoA11yViolations(page, 'kiosk community loading');
	// No answer from the server yet is not 离线.
	await expect(freshKiosk.syncStatus).not.toContainText('离线');
	await expect(freshKiosk.message).toBeHidden();

	releasePull();
	await freshKiosk.expectResident();
	await expect(loading).toBeHidden();
	expect(await freshKiosk.balance()).toBe(serverDb.ledgerBalance(resident.residentId));
});
