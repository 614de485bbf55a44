import { expect, test } from '../fixtures/test';
import { DisplayPage } from './display-page';

/*
 * The lobby TV's setup screen: the same code entry as the kiosk's, sized in the TV's unit; a
 * refused code is answered in Chinese under the code, then the right one enrolls.
 */

test.use({ viewport: { width: 1920, height: 1080 } });

test('the TV setup screen takes the code on its keypad and says why a wrong one is refused', async ({
	page,
	office
}) => {
	const display = new DisplayPage(page);
	await display.open();
	await expect(display.setup).toBeVisible();
	await expect(page.getByTestId('display-setup-code-input')).toBeFocused();
	const keypad = display.setup.getByRole('group', { name: '数字键盘' });
	for (const digit of '87654321') {
		await keypad.getByRole('button', { name: digit, exact: true }).click();
	}
	await page.getByTestId('display-setup-submit').click();
	const error = display.setup.getByRole('alert').filter({ hasText: /\S/ });
	await expect(error).toHaveText(/[\u4e00-\u9fff]/);
	await page.screenshot({ path: 'test-results/display-setup-1920x1080.png' });
	await keypad.getByRole('button', { name: '删除一位' }).click();
	await expect(error).toBeHidden();
	await keypad.getByRole('button', { name: '清空' }).click();

	await display.enroll(await office.mintEnrollCode('display'));
});
