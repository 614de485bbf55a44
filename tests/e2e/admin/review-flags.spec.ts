import type { Page } from '@playwright/test';
import {
	enrollKioskByApi,
	pullEverything,
	pushEvents,
	redemptionEvent
} from '../fixtures/device-api';
import { logInToOffice } from '../fixtures/office';
import { addTestResident } from '../fixtures/server-db-writes';
import { signTestCard } from '../fixtures/test-cards';
import { expect, test } from '../fixtures/test';
import { CardsOfficePage } from './cards-accounts-pages';
import { ReviewFlagsPage } from './review-flags-page';

/*
 * 待核查: a kiosk that was offline pushes a redemption its resident could not afford; the server
 * applies it (the goods have left) and flags it, and an admin finds it in the office and marks it
 * resolved with a note.
 */

const SHOTS = 'test-results';
const RUN = Date.now().toString(36).slice(-5);
// Markup in a name must show as text.
const RESIDENT_NAME = `<i>核查</i>${RUN}`;
const DEVICE_NAME = `核查终端${RUN}`;

async function screenshot(page: Page, name: string): Promise<void> {
	const { width } = page.viewportSize() ?? { width: 0 };
	await page.screenshot({ path: `${SHOTS}/office-${name}-${width}.png`, fullPage: true });
}

test('an overdraw pushed by a kiosk shows under 待核查 and an admin resolves it', async ({
	browser,
	office,
	server,
	serverDb,
	request,
	mintEnrollCode
}) => {
	test.setTimeout(120_000);
	const resident = addTestResident(server.databasePath, {
		building: `核查${RUN}栋`,
		label: `核查${RUN}栋1单元101`,
		name: RESIDENT_NAME
	});

	await test.step('the office issues the resident a card (no points on it)', async () => {
		const cards = new CardsOfficePage(await office.context.newPage());
		await cards.openResident(resident.residentId);
		await cards.issue();
		await cards.page.close();
	});

	await test.step('a kiosk pushes an offline redemption the resident could not afford', async () => {
		const device = await enrollKioskByApi(request, await mintEnrollCode(), DEVICE_NAME);
		const { items } = await pullEverything(request, device);
		const item = [...items.values()]
			.filter((candidate) => candidate.active && (!candidate.stockTracked || candidate.stock > 5))
			.sort((a, b) => a.points - b.points)[0];
		if (!item) throw new Error('the demo catalogue has nothing to sell');
		const community = serverDb.community();
		const credential = await signTestCard(community.privateKey, {
			kind: 'resident',
			communityId: community.id,
			subjectId: resident.residentId,
			serial: 1
		});
		const event = redemptionEvent(device, {
			residentId: resident.residentId,
			cardSerial: 1,
			credential,
			offline: true,
			lines: [{ itemId: item.id, quantity: 1, unitPoints: item.points }]
		});
		const { body } = await pushEvents(request, device, [event]);
		expect(body.results[0]).toMatchObject({
			status: 'applied',
			flagged: true,
			flags: ['overdrawn']
		});
		expect(serverDb.ledgerBalance(resident.residentId)).toBe(-item.points);
	});

	const phone = await logInToOffice(
		browser,
		server.baseURL,
		{ username: 'admin', password: 'demo1234' },
		{
			width: 375,
			height: 667
		}
	);
	const desk = await logInToOffice(
		browser,
		server.baseURL,
		{ username: 'admin', password: 'demo1234' },
		{
			width: 1440,
			height: 900
		}
	);
	try {
		await test.step('the admin sees it under 待核查 with what happened', async () => {
			const onPhone = new ReviewFlagsPage(await phone.newPage());
			await onPhone.openOpen();
			const flag = onPhone.flagOf(RESIDENT_NAME);
			await expect(flag).toBeVisible();
			await expect(flag).toHaveAttribute('data-kind', 'overdrawn');
			await expect(flag.locator('.kind')).toHaveText('超支');
			// The menu counts the open flags (others' specs may add some: at least this one).
			await expect(onPhone.page.getByTestId('open-flag-count')).toContainText(/[1-9]/);
			await expect(flag.getByRole('link', { name: RESIDENT_NAME })).toBeVisible();
			await expect(flag).toContainText(resident.householdLabel);
			await expect(flag).toContainText(DEVICE_NAME);
			await expect(flag).toContainText('兑换后余额');
			await flag.scrollIntoViewIfNeeded();
			await screenshot(onPhone.page, 'flags-open');
		});

		await test.step('the admin marks it resolved with a note', async () => {
			const onDesk = new ReviewFlagsPage(await desk.newPage());
			await onDesk.openOpen();
			await expect(onDesk.flagOf(RESIDENT_NAME)).toBeVisible();
			await screenshot(onDesk.page, 'flags-open');
			await onDesk.resolve(RESIDENT_NAME, '已联系居民，下月补上');
			await expect(onDesk.done).toBeFocused();
			await expect(onDesk.flagOf(RESIDENT_NAME)).toHaveCount(0);

			await onDesk.openResolved();
			const resolved = onDesk.flagOf(RESIDENT_NAME);
			await expect(resolved).toContainText('标记为已处理');
			await expect(resolved).toContainText('已联系居民，下月补上');
			await expect(resolved.getByRole('button', { name: '标记为已处理' })).toHaveCount(0);
			await screenshot(onDesk.page, 'flags-resolved');
		});

		await test.step('resolving it again from a page opened before answers clearly', async () => {
			const onPhone = new ReviewFlagsPage(phone.pages()[0]!);
			await onPhone.submitResolve(RESIDENT_NAME, '');
			await expect(onPhone.problem).toContainText('已经由社区管理员处理过了');
			// The list reloads: the flag is no longer shown as open.
			await expect(onPhone.flagOf(RESIDENT_NAME)).toHaveCount(0);
			await onPhone.problem.scrollIntoViewIfNeeded();
			await screenshot(onPhone.page, 'flags-twice');
		});
	} finally {
		await phone.close();
		await desk.close();
	}
});
