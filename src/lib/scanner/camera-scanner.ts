/**
 * The one module that knows html5-qrcode and the BarcodeDetector ponyfill. Everything here is
 * loaded on demand (import it with `await import(...)`) so the kiosk's first paint does not wait
 * for the decoder; the zxing wasm is served and precached from our own origin, never a CDN.
 */
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { classifyCameraError, type CameraProblem } from './camera-problem';
import { scansFrame, type CameraPace } from './camera-pace';

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
 * decodes (callers debounce), scanning frames as often as `pace` says at that moment. Rejects with
 * a CameraProblem when there is no usable camera. The kiosk looks at the resident ('user'); a
 * phone in the office scans a card held in front of it ('environment', its back camera).
 */
export async function startCameraScanner(
	elementId: string,
	onText: (text: string) => void,
	pace: () => CameraPace = () => 'every_frame',
	facingMode: 'user' | 'environment' = 'user'
): Promise<CameraScanner> {
	await installBarcodeDetector();
	const { Html5Qrcode, Html5QrcodeSupportedFormats } = await import('html5-qrcode');
	const scanner = new Html5Qrcode(elementId, {
		formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE],
		useBarCodeDetectorIfSupported: true,
		verbose: false
	});
	useOnlyTheBarcodeDetector(scanner);
	scanAtPace(scanner, pace);
	try {
		await scanner.start(
			{ facingMode },
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
 * html5-qrcode copies a frame from the video into a canvas and decodes it on every tick of its
 * loop, at the fps it was started with; changing that means restarting the camera, and its own
 * pause() still copies every frame. The copy alone took about 7 ms of the main thread a frame in
 * Chromium without a GPU (traced on 2026-12-02), so the ticks the pace skips do nothing but wait
 * for the next one. The loop calls itself through the instance, which is where this hooks in.
 */
function scanAtPace(scanner: object, pace: () => CameraPace): void {
	type ScanLoop = (config: { fps: number }, ...callbacks: unknown[]) => void;
	const loop = scanner as {
		foreverScan?: ScanLoop;
		shouldScan?: boolean;
		foreverScanTimeout?: ReturnType<typeof setTimeout>;
	};
	const scanFrame = loop.foreverScan?.bind(scanner);
	if (!scanFrame) return;
	let frame = 0;
	loop.foreverScan = (config, ...callbacks) => {
		frame += 1;
		if (scansFrame(pace(), frame)) return scanFrame(config, ...callbacks);
		if (!loop.shouldScan) return;
		// Kept where stop() looks for it, so stopping the camera also ends this wait.
		loop.foreverScanTimeout = setTimeout(
			() => loop.foreverScan?.(config, ...callbacks),
			1000 / config.fps
		);
	};
}

export type { CameraProblem };
