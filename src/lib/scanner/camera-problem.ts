/** Why the camera could not start, in words the kiosk can turn into a calm message. */
export class CameraProblem extends Error {
	constructor(
		readonly reason: 'no_camera' | 'permission_denied' | 'camera_busy' | 'camera_failed',
		cause?: unknown
	) {
		super(reason, { cause });
		this.name = 'CameraProblem';
	}
}

/** getUserMedia and video.play() reject with DOMExceptions (older browsers: strings); this sorts them. */
export function classifyCameraError(error: unknown): CameraProblem {
	const text =
		error instanceof Error
			? `${error.name} ${error.message}`
			: typeof error === 'string'
				? error
				: '';
	if (/NotAllowed|Permission|SecurityError/i.test(text)) {
		return new CameraProblem('permission_denied', error);
	}
	if (/NotFound|DevicesNotFound|OverconstrainedError|no camera|not found/i.test(text)) {
		return new CameraProblem('no_camera', error);
	}
	if (/NotReadable|TrackStart|in use/i.test(text)) return new CameraProblem('camera_busy', error);
	return new CameraProblem('camera_failed', error);
}
