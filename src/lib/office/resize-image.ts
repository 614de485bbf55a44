/*
 * Pictures are made small in the browser before they are uploaded: a phone photo of 4 MB becomes
 * a WebP (or JPEG where the browser cannot write WebP) of at most `maxSide` pixels and a few
 * hundred KB, which a 网格员's mobile connection sends in a moment. Drawing into a canvas also
 * leaves the photo's metadata (where it was taken) behind; the server strips it again anyway.
 */

export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

export interface ResizeOptions {
	/** The longer side after resizing, in pixels. */
	maxSide: number;
	/** 0–1 */
	quality?: number;
}

export function isAcceptedImage(file: File): boolean {
	return (ACCEPTED_IMAGE_TYPES as readonly string[]).includes(file.type);
}

/** The size a picture of width × height gets when its longer side may be at most maxSide. */
export function fittedSize(
	width: number,
	height: number,
	maxSide: number
): { width: number; height: number } {
	const scale = Math.min(1, maxSide / Math.max(width, height));
	return {
		width: Math.max(1, Math.round(width * scale)),
		height: Math.max(1, Math.round(height * scale))
	};
}

function canvasBlob(
	canvas: HTMLCanvasElement,
	type: string,
	quality: number
): Promise<Blob | null> {
	return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}

/** The picture resized and re-encoded as a File ready for a form; throws if it cannot be read. */
export async function resizeImage(file: File, options: ResizeOptions): Promise<File> {
	const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
	const size = fittedSize(bitmap.width, bitmap.height, options.maxSide);
	const canvas = document.createElement('canvas');
	canvas.width = size.width;
	canvas.height = size.height;
	const context = canvas.getContext('2d');
	if (!context) throw new Error('no 2d canvas');
	context.drawImage(bitmap, 0, 0, size.width, size.height);
	bitmap.close();
	const quality = options.quality ?? 0.82;
	const webp = await canvasBlob(canvas, 'image/webp', quality);
	const blob = webp?.type === 'image/webp' ? webp : await canvasBlob(canvas, 'image/jpeg', quality);
	if (!blob) throw new Error('the canvas gave no picture');
	const extension = blob.type === 'image/webp' ? 'webp' : 'jpg';
	return new File([blob], `picture.${extension}`, { type: blob.type });
}
