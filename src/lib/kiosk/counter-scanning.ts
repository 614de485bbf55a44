import {
	CameraProblem,
	createScanDebouncer,
	listenForWedgeScans,
	loadCameraScanner,
	type CameraPace,
	type CameraScanner
} from '$lib/scanner';

/**
 * Where the counter's camera stands: still starting, decoding, or not there. A counter with only a
 * USB scanner is a normal counter ('no_camera'), not a broken one.
 */
export type CameraState = 'starting' | 'working' | CameraProblem['reason'];

/** A small note for staff when a camera exists but cannot be used; residents use the scanner. */
export const CAMERA_STAFF_NOTES: Record<
	Exclude<CameraState, 'starting' | 'working'>,
	string | null
> = {
	no_camera: null,
	permission_denied: '摄像头未获允许：请工作人员在浏览器里允许使用摄像头。',
	camera_busy: '摄像头正被其他程序占用：请工作人员关闭那个程序。',
	camera_failed: '摄像头暂时无法使用：请工作人员检查摄像头。'
};

/** Where scanned text goes: the counter, or shop mode while it is open. */
export interface ScanTarget {
	scan(text: string): Promise<void>;
	/** How eagerly the camera should scan now; read on every tick of its loop. */
	readonly cameraPace: CameraPace;
}

/**
 * Feeds the counter from both scanners at once: the USB wedge right away, the camera as soon as
 * its decoder has loaded. A camera problem is reported in words; the wedge keeps working.
 */
export function startCounterScanning(
	session: ScanTarget,
	cameraElementId: string,
	onCameraState: (state: CameraState) => void
): () => void {
	let stopped = false;
	let camera: CameraScanner | null = null;
	const stopWedge = listenForWedgeScans((text) => void session.scan(text));
	const acceptCameraRead = createScanDebouncer(2000);

	void (async () => {
		try {
			// Asked before loading the decoder: a scanner-only counter knows at once.
			if (!(await hasVideoInput())) throw new CameraProblem('no_camera');
			const { startCameraScanner } = await loadCameraScanner();
			if (stopped) return;
			camera = await startCameraScanner(
				cameraElementId,
				(text) => {
					if (acceptCameraRead(text, performance.now())) void session.scan(text);
				},
				() => session.cameraPace
			);
			if (stopped) await camera.stop();
			onCameraState('working');
		} catch (error) {
			onCameraState(error instanceof CameraProblem ? error.reason : 'camera_failed');
		}
	})();

	return () => {
		stopped = true;
		stopWedge();
		void camera?.stop();
	};
}

/** Listing devices needs no permission; a browser that cannot list them may still have a camera. */
async function hasVideoInput(): Promise<boolean> {
	try {
		const devices = await navigator.mediaDevices.enumerateDevices();
		return devices.some((device) => device.kind === 'videoinput');
	} catch {
		return true;
	}
}
