import { describe, expect, it } from 'vitest';
import { classifyCameraError } from './camera-problem';

describe('classifyCameraError', () => {
	it('reads a refused permission', () => {
		const error = new DOMException('Permission denied', 'NotAllowedError');
		expect(classifyCameraError(error).reason).toBe('permission_denied');
	});

	it('reads a machine without a camera', () => {
		const error = new DOMException('Requested device not found', 'NotFoundError');
		expect(classifyCameraError(error).reason).toBe('no_camera');
	});

	it('reads a camera held by another program', () => {
		expect(classifyCameraError('NotReadableError: Could not start video source').reason).toBe(
			'camera_busy'
		);
	});

	it('falls back to a generic failure for anything else', () => {
		expect(classifyCameraError(42).reason).toBe('camera_failed');
	});
});
