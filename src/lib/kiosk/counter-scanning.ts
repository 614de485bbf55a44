import {
	CameraProblem,
	createScanDebouncer,
	listenForWedgeScans,
	loadCameraScanner,
	type CameraPace,
	type CameraScanner
} from '$lib/device/scanner';

const CAMERA_PROBLEM_TEXTS: Record<CameraProblem['reason'], string> = {
	no_camera: '没有找到摄像头。请用扫码枪扫卡。',
	permission_denied: '摄像头未获允许，请工作人员在浏览器里允许使用摄像头。现在可以用扫码枪。',
	camera_busy: '摄像头正被其他程序占用。现在可以用扫码枪。',
	camera_failed: '摄像头暂时无法使用。现在可以用扫码枪。'
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
	onCameraProblem: (text: string | null) => void
): () => void {
	let stopped = false;
	let camera: CameraScanner | null = null;
	const stopWedge = listenForWedgeScans((text) => void session.scan(text));
	const acceptCameraRead = createScanDebouncer(2000);

	void (async () => {
		try {
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
			onCameraProblem(null);
		} catch (error) {
			const reason = error instanceof CameraProblem ? error.reason : 'camera_failed';
			onCameraProblem(CAMERA_PROBLEM_TEXTS[reason]);
		}
	})();

	return () => {
		stopped = true;
		stopWedge();
		void camera?.stop();
	};
}
