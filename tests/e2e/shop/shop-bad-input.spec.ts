import { signCredential } from '../../../src/lib/domain/credential';
import { expect, test } from '../fixtures/test';
import { genuineResidentCards } from '../fixtures/test-cards';
import { ShopPage } from './shop-page';
import { staffCard, wrongPin } from './staff-cards';

/* Each bad input the issue names for shop mode gets a clear answer on screen and changes nothing. */

test('a wrong PIN says how many tries are left; the fifth locks shop mode until a stated time', async ({
	kiosk,
	demoCards
}) => {
	const shop = new ShopPage(kiosk);
	const keeper = staffCard(demoCards, 'shopkeeper');
	await shop.scanStaffCard(keeper.credential);
	await expect(kiosk.page.getByTestId('pin-staff-name')).not.toBeEmpty();
	for (let left = 4; left >= 1; left--) {
		await shop.typePin(wrongPin(keeper.pin));
		await expect(shop.pinError).toHaveText(`密码不对，还可以再试 ${left} 次`);
	}
	await shop.typePin(wrongPin(keeper.pin));
	await expect(shop.pinError).toHaveText(/已锁定，\d\d:\d\d 后可以再试/);
	// Locked: the keypad is off and looks it, so not even the right PIN can be typed now.
	const keypad = kiosk.page.getByTestId('pin-pad');
	await expect(keypad).toHaveAttribute('data-locked', 'true');
	await expect(keypad.getByRole('button', { name: '1', exact: true })).toBeDisabled();
	await expect(keypad.getByTestId('pin-submit')).toBeDisabled();
	await kiosk.page.screenshot({ path: 'test-results/shop-pin-locked-1280x800.png' });
	await expect(shop.home).toBeHidden();
	// A reload does not lift the lock: scanned again, the card says so before any PIN.
	await kiosk.page.reload();
	await kiosk.waitForAttract();
	await shop.scanStaffCard(keeper.credential);
	await expect(shop.pinError).toHaveText(/已锁定/);
	await expect(keypad.getByTestId('pin-submit')).toBeDisabled();
});

test('a resident card does not open shop mode', async ({ kiosk, demoCards, serverDb }) => {
	const shop = new ShopPage(kiosk);
	const [resident] = await genuineResidentCards(demoCards, serverDb.community());
	if (!resident) throw new Error('no genuine resident card');
	await kiosk.page.getByTestId('open-shop-mode').click();
	await expect(kiosk.page.getByTestId('shop-card-prompt')).toBeVisible();
	await kiosk.scanByWedge(resident.credential);
	await shop.expectNotice('not_staff');
	await expect(shop.notice).toContainText('居民积分卡不能进入店员模式');
	await shop.dismissNotice();
	await expect(shop.pinScreen).toBeHidden();
	await expect(kiosk.residentPanel).toBeHidden();
	await kiosk.page.getByTestId('shop-cancel').click();
	await kiosk.waitForAttract();
});

test('a staff card of another community is refused with a clear message', async ({
	kiosk,
	serverDb
}) => {
	const shop = new ShopPage(kiosk);
	const pair = (await crypto.subtle.generateKey('Ed25519', true, [
		'sign',
		'verify'
	])) as CryptoKeyPair;
	const foreign = await signCredential(
		{ kind: 'staff', communityId: serverDb.community().id + 1, subjectId: 1, serial: 1 },
		pair.privateKey
	);
	await kiosk.scanByWedge(foreign);
	await shop.expectNotice('foreign');
	await expect(shop.notice).toContainText('这是其他社区的店员卡');
	await shop.dismissNotice();
	await expect(shop.pinScreen).toBeHidden();
});

test('quantities: empty, zero and too large are refused in words; minus, point and 10⁹ cannot be typed', async ({
	kiosk,
	demoCards
}) => {
	const shop = new ShopPage(kiosk);
	const page = kiosk.page;
	const keeper = staffCard(demoCards, 'shopkeeper');
	await shop.signIn(keeper.credential, keeper.pin);
	await shop.open('receive');
	await page.getByTestId('pick-item').first().click();
	await expect(shop.quantityDialog).toBeVisible();
	const value = page.getByTestId('quantity-value');
	const ok = shop.quantityDialog.getByTestId('quantity-ok');

	await ok.click();
	await expect(shop.quantityError).toHaveText('请输入数量');

	await shop.typeQuantity('0');
	await ok.click();
	await expect(shop.quantityError).toHaveText('数量至少是 1');

	// A physical keyboard's minus and point do nothing; the keypad has neither key.
	await shop.typeQuantity('C');
	await page.keyboard.type('-1.5');
	await expect(value).toHaveText('请输入');
	await expect(shop.quantityDialog.getByRole('button', { name: '.', exact: true })).toHaveCount(0);
	await expect(shop.quantityDialog.getByRole('button', { name: '-', exact: true })).toHaveCount(0);

	// 10⁹ stops at six digits, and 999999 is more than one delivery may hold.
	await shop.typeQuantity('1000000000');
	await expect(value).toHaveText('100000');
	await shop.typeQuantity('C999999');
	await ok.click();
	await expect(shop.quantityError).toHaveText('数量太大了，最多 100000');

	// Nothing was saved: the delivery is still empty.
	await shop.quantityDialog.getByRole('button', { name: '取消' }).click();
	await expect(page.getByTestId('receive-line')).toHaveCount(0);
	await expect(page.getByTestId('receive-save')).toBeDisabled();
	await kiosk.expectPending(0);
});

test('leaving shop mode returns to the attract screen and forgets the shopkeeper', async ({
	kiosk,
	demoCards
}) => {
	const shop = new ShopPage(kiosk);
	const keeper = staffCard(demoCards, 'shopkeeper');
	await shop.signIn(keeper.credential, keeper.pin);
	await shop.open('stock');
	await shop.exit();
	// Back in, the card and PIN are asked again.
	await kiosk.page.getByTestId('open-shop-mode').click();
	await expect(kiosk.page.getByTestId('shop-card-prompt')).toBeVisible();
	await expect(kiosk.page.getByTestId('shop-staff-name')).toHaveCount(0);
});
