/**
 * The camera: getUserMedia → a <video> we own → each paced frame copied whole (the camera's own
 * 1280×720, never scaled down) into a canvas → the zxing-cpp BarcodeDetector ponyfill. Why not
 * html5-qrcode: see "Why the scanner works this way" in the README (bench/scanner-decode.js).
 *
 * Loaded on demand (`loadCameraScanner`) so the kiosk's first paint does not wait for the
 * decoder; the zxing wasm is served and precached from our own origin, never a CDN.
 */
import { BarcodeDetector, prepareZXingModule } from 'barcode-detector/ponyfill';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { benchMark } from '$lib/terminal/bench-marks';
import { classifyCameraError, CameraProblem } from './camera-problem';
import type { CameraPace } from './camera-pace';
import { startScanLoop } from './scan-loop';

export interface CameraScanner {
	stop(): Promise<void>;
}

let detectorReady: Promise<BarcodeDetector> | null = null;

/**
 * The zxing-cpp detector, its wasm fetched from our origin and warmed up once. Always the
 * ponyfill, even where the browser has its own BarcodeDetector: that is the decoder we measured
 * on hard cards, and a kiosk reads the same cards the same way on every machine.
 */
function qrDetector(): Promise<BarcodeDetector> {
	detectorReady ??= (async () => {
		const locateFile = (path: string, prefix: string) =>
			path.endsWith('.wasm') ? new URL(wasmUrl, location.href).href : prefix + path;
		await prepareZXingModule({ overrides: { locateFile }, fireImmediately: true });
		return new BarcodeDetector({ formats: ['qr_code'] });
	})();
	detectorReady.catch(() => (detectorReady = null));
	return detectorReady;
}

/** What we ask of the camera: about 1280×720 (more pixels per module on a small card). */
export function cameraConstraints(facingMode: 'user' | 'environment'): MediaStreamConstraints {
	return {
		audio: false,
		video: { facingMode, width: { ideal: 1280 }, height: { ideal: 720 } }
	};
}

/** Copies the video's current frame at its own size and decodes it. */
function frameDecoder(video: HTMLVideoElement, detector: BarcodeDetector) {
	const canvas = document.createElement('canvas');
	// Read back on every scanned frame: keep the pixels in memory, not on a GPU.
	const context = canvas.getContext('2d', { willReadFrequently: true });
	return async (): Promise<string | null> => {
		const { videoWidth: width, videoHeight: height } = video;
		if (!context || width === 0 || video.readyState < video.HAVE_CURRENT_DATA) return null;
		if (canvas.width !== width || canvas.height !== height) {
			canvas.width = width;
			canvas.height = height;
		}
		context.drawImage(video, 0, 0, width, height);
		const [found] = await detector.detect(context.getImageData(0, 0, width, height));
		return found?.rawValue ?? null;
	};
}

/**
 * Shows the camera inside the element with id `elementId` and calls `onText` for every QR code it
 * decodes (callers debounce), scanning as often as `pace` says at that moment. Rejects with a
 * CameraProblem when there is no usable camera. The kiosk looks at the resident ('user'); a
 * phone in the office scans a card held in front of it ('environment', its back camera).
 */
export async function startCameraScanner(
	elementId: string,
	onText: (text: string) => void,
	pace: () => CameraPace = () => 'every_frame',
	facingMode: 'user' | 'environment' = 'user'
): Promise<CameraScanner> {
	const element = document.getElementById(elementId);
	if (!element) throw new CameraProblem('camera_failed');
	const detector = await qrDetector().catch((error: unknown) => {
		throw new CameraProblem('camera_failed', error);
	});
	let stream: MediaStream;
	try {
		if (!navigator.mediaDevices) throw new CameraProblem('no_camera');
		stream = await navigator.mediaDevices.getUserMedia(cameraConstraints(facingMode));
	} catch (error) {
		throw error instanceof CameraProblem ? error : classifyCameraError(error);
	}
	const stopTracks = () => stream.getTracks().forEach((track) => track.stop());

	const video = document.createElement('video');
	video.muted = true;
	video.playsInline = true;
	video.srcObject = stream;
	// The element decides the size on screen; the decoder reads the video's own pixels anyway.
	video.style.cssText = 'display: block; width: 100%; height: 100%; object-fit: cover';
	element.replaceChildren(video);
	try {
		await video.play();
	} catch (error) {
		stopTracks();
		video.remove();
		throw classifyCameraError(error);
	}

	const loop = startScanLoop({
		decodeFrame: frameDecoder(video, detector),
		onText: (text) => {
			benchMark('qr-decoded');
			onText(text);
		},
		pace
	});
	return {
		async stop() {
			loop.stop();
			stopTracks();
			video.srcObject = null;
			video.remove();
		}
	};
}
