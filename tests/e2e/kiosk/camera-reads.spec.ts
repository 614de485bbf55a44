import { expect, test } from '../fixtures/test';
import { showToCamera } from '../fixtures/fake-camera';
import { genuineResidentCards } from '../fixtures/test-cards';
import { KioskPage } from './kiosk-page';

/*
 * The counter's camera (src/lib/scanner/camera-scanner.ts: getUserMedia → video → the
 * zxing-wasm BarcodeDetector) reads what is shown to it: a card opens the resident, a QR code
 * that is not a card gets the calm "cannot read" message, and a camera the browser refuses
 * leaves the USB scanner working and tells staff why.
 */

test('the camera reads a card shown to it; a QR code that is not a card is unreadable', async ({
	kiosk,
	demoCards,
	serverDb
}) => {
	const [card] = await genuineResidentCards(demoCards, serverDb.community());
	if (!card) throw new Error('the demo sheet has no genuine resident card');

	await expect(kiosk.page.locator('#kiosk-camera video')).toHaveCount(1);
	await showToCamera(kiosk.page, card.credential);
	await kiosk.expectResident();
	await showToCamera(kiosk.page, null);
	await kiosk.exit();

	await showToCamera(kiosk.page, 'HELLO-THIS-IS-NOT-A-CARD');
	await kiosk.expectProblem('unreadable');
	await expect(kiosk.message).toContainText('对准摄像头');
	await showToCamera(kiosk.page, null);
	await kiosk.dismissMessage();
	await kiosk.waitForAttract();
});

test('a camera the browser refuses leaves the USB scanner working and tells staff', async ({
	page,
	mintEnrollCode,
	demoCards,
	serverDb
}) => {
	await page.addInitScript(() => {
		const mediaDevices = navigator.mediaDevices;
		if (!mediaDevices) return;
		mediaDevices.enumerateDevices = async () => [
			{ deviceId: 'cam', groupId: 'cam', kind: 'videoinput', label: '', toJSON: () => ({}) }
		];
		mediaDevices.getUserMedia = async () => {
			throw new DOMException('Permission denied', 'NotAllowedError');
		};
	});
	const kiosk = new KioskPage(page);
	await kiosk.open();
	await kiosk.enroll(await mintEnrollCode());
	await kiosk.waitForSynced();

	await expect(page.getByTestId('camera-staff-note')).toContainText('摄像头未获允许');
	await expect(kiosk.attract).toHaveAttribute('data-reader', 'scanner');
	await expect(page.locator('#kiosk-camera video')).toHaveCount(0);

	const [card] = await genuineResidentCards(demoCards, serverDb.community());
	await kiosk.scanByWedge(card!.credential);
	await kiosk.expectResident();
});
