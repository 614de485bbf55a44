/**
 * The one module that knows html5-qrcode and the BarcodeDetector ponyfill. Everything here is
 * loaded on demand (import it with `await import(...)`) so the kiosk's first paint does not wait
 * for the decoder; the zxing wasm is served and precached from our own origin, never a CDN.
 */
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { classifyCameraError, type CameraProblem } from './camera-problem';
import { decodesFrame, type CameraPace } from './camera-pace';

export interface CameraScanner {
	stop(): Promise<void>;
}

let decoderReady: Promise<void> | null = null;

/** Installs the zxing-based BarcodeDetector as the global one, once, and warms up its wasm. */
function installBarcodeDetector(): Promise<void> {
	decoderReady ??= (async () => {
		const ponyfill = await import('barcode-detector/ponyfill');
		const locateFile = (path: string, prefix: string) =>
			path.endsWith('.wasm') ? new URL(wasmUrl, location.href).href : prefix + path;
		ponyfill.setZXingModuleOverrides({ locateFile });
		// html5-qrcode looks up `BarcodeDetector` as a global; Chromium on Linux has none.
		const scope = globalThis as { BarcodeDetector?: unknown };
		if (!('BarcodeDetector' in scope)) scope.BarcodeDetector = ponyfill.BarcodeDetector;
		await ponyfill.prepareZXingModule({ overrides: { locateFile }, fireImmediately: true });
	})();
	return decoderReady;
}

/**
 * Starts the camera inside the element with id `elementId` and calls `onText` for every QR code it
 * decodes (callers debounce), decoding frames as often as `pace` says at that moment. Rejects with
 * a CameraProblem when there is no usable camera.
 */
export async function startCameraScanner(
	elementId: string,
	onText: (text: string) => void,
	pace: () => CameraPace = () => 'every_frame'
): Promise<CameraScanner> {
	await installBarcodeDetector();
	const { Html5Qrcode, Html5QrcodeSupportedFormats } = await import('html5-qrcode');
	const scanner = new Html5Qrcode(elementId, {
		formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE],
		useBarCodeDetectorIfSupported: true,
		verbose: false
	});
	useOnlyTheBarcodeDetector(scanner);
	decodeAtPace(scanner, pace);
	try {
		await scanner.start(
			{ facingMode: 'user' },
			{ fps: 20, disableFlip: true },
			(text) => {
				performance.mark('qr-decoded');
				onText(text);
			},
			undefined
		);
	} catch (error) {
		throw classifyCameraError(error);
	}
	return {
		async stop() {
			if (scanner.isScanning) await scanner.stop();
			scanner.clear();
		}
	};
}

/**
 * With a BarcodeDetector present, html5-qrcode 2.3 alternates every frame between it and its own
 * JavaScript zxing port, which takes about 2.5 times the wasm decoder's time for a frame (profiled
 * in Chromium on 2026-12-01) and reads no code that zxing-cpp cannot. This library is
 * unmaintained, so its internals will not move under us: drop the fallback, keep the detector.
 */
function useOnlyTheBarcodeDetector(scanner: object): void {
	const shim = (scanner as { qrcode?: { secondaryDecoder?: unknown } }).qrcode;
	if (shim && shim.secondaryDecoder !== undefined) shim.secondaryDecoder = undefined;
}

/**
 * html5-qrcode decodes every frame at the fps it was started with; changing that means a restart
 * of the camera. Its decoder is one object with one method, so the frames the pace skips are
 * answered "no code" before anything is copied out of the canvas.
 */
function decodeAtPace(scanner: object, pace: () => CameraPace): void {
	type Decoder = { decodeAsync?: (canvas: HTMLCanvasElement) => Promise<unknown> };
	const shim = (scanner as { qrcode?: Decoder }).qrcode;
	const decode = shim?.decodeAsync?.bind(shim);
	if (!shim || !decode) return;
	let frame = 0;
	shim.decodeAsync = (canvas) => {
		frame += 1;
		return decodesFrame(pace(), frame) ? decode(canvas) : Promise.reject(new Error('skipped'));
	};
}

export type { CameraPace, CameraProblem };
