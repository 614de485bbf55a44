import { expect, test } from '../fixtures/test';
import { installFakeCamera } from '../fixtures/fake-camera';
import { KioskPage } from './kiosk-page';

/*
 * The kiosk's setup screen: the office's 8-digit code typed on its keypad (the same code entry as
 * the lobby TV's), a refused code answered in Chinese under it, then the right one enrolls.
 */

const SIZES = [
	{ width: 1280, height: 800 },
	{ width: 1080, height: 1920 }
] as const;

for (const size of SIZES) {
	test(`the setup screen takes the code on its keypad and says why a wrong one is refused (${size.width}×${size.height})`, async ({
		page,
		mintEnrollCode
	}) => {
		await page.setViewportSize(size);
		await installFakeCamera(page, null);
		const kiosk = new KioskPage(page);
		await kiosk.open();
		await expect(kiosk.setupCodeInput).toBeFocused();
		const keypad = page.getByRole('group', { name: '数字键盘' });
		const submit = page.getByTestId('setup-submit');
		for (const digit of '1234567')
			await keypad.getByRole('button', { name: digit, exact: true }).click();
		await expect(submit).toBeDisabled();
		await keypad.getByRole('button', { name: '0', exact: true }).click();
		await submit.click();
		const error = page.getByRole('alert').filter({ hasText: /\S/ });
		await expect(error).toBeVisible();
		await expect(error).toHaveText(/[\u4e00-\u9fff]/);
		await page.screenshot({ path: `test-results/kiosk-setup-${size.width}x${size.height}.png` });
		// Typing again clears the refusal.
		await keypad.getByRole('button', { name: '清空' }).click();
		await expect(error).toBeHidden();

		await kiosk.enroll(await mintEnrollCode());
	});
}

test.describe('a kiosk whose own clock runs in another zone', () => {
	test.use({ timezoneId: 'America/New_York', viewport: { width: 1280, height: 800 } });

	test('shows the last sync on the community’s clock (Shanghai), not its own', async ({
		page,
		mintEnrollCode
	}) => {
		const shanghaiClock = (at: number) =>
			new Intl.DateTimeFormat('en-GB', {
				timeZone: 'Asia/Shanghai',
				hour: '2-digit',
				minute: '2-digit',
				hourCycle: 'h23'
			}).format(at);
		await installFakeCamera(page, null);
		const kiosk = new KioskPage(page);
		await kiosk.open();
		const before = Date.now();
		await kiosk.enroll(await mintEnrollCode());
		await kiosk.waitForSynced();
		const shown = kiosk.syncStatus.getByText(/^上次同步 \d\d:\d\d$/);
		await expect(shown).toBeVisible();
		const after = Date.now();
		const text = (await shown.textContent()) ?? '';
		expect([shanghaiClock(before), shanghaiClock(after)]).toContain(text.slice(-5));
	});
});
