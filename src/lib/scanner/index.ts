/**
 * Scanning for the kiosk: a camera (loaded on demand, with its decoder) and a USB keyboard-wedge
 * scanner. Import the camera only through `loadCameraScanner` so it stays out of the first bundle.
 */
export { listenForWedgeScans, WedgeBurst, type WedgeOptions } from './keyboard-wedge';
export { createScanDebouncer } from './scan-debounce';
export { CameraProblem, classifyCameraError } from './camera-problem';
export type { CameraScanner } from './camera-scanner';
export type { CameraPace } from './camera-pace';

export async function loadCameraScanner(): Promise<typeof import('./camera-scanner')> {
	return import('./camera-scanner');
}
