/**
 * The browser half of `bench/scanner-decode.js`: draws 积分卡 as a 1280×720 camera sees them
 * under hard conditions (seeded, so every run draws the same frames) and decodes each frame with
 * the approaches the README compares. Built by Vite into bench/.tmp, served from localhost: the
 * zxing wasm comes from our own origin, as in the kiosk.
 */
import { BarcodeDetector, prepareZXingModule } from 'barcode-detector/ponyfill';
import { Html5Qrcode, Html5QrcodeSupportedFormats } from 'html5-qrcode';
import QRCode from 'qrcode';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

const FRAME_WIDTH = 1280;
const FRAME_HEIGHT = 720;
/** What the kiosk's camera box was: html5-qrcode scaled every frame to this width first. */
const OLD_BOX_WIDTH = 480;

/** mulberry32: a small seeded generator, so the frames are the same on every run. */
function seeded(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function canvasOf(width, height) {
	const canvas = document.createElement('canvas');
	canvas.width = width;
	canvas.height = height;
	return canvas;
}

/**
 * The printed card (PrintedCard.svelte): a red header, the QR code on the left of the body, the
 * holder's lines on the right. `inverted` prints the code light on dark.
 */
function drawCard(text, width, inverted) {
	const height = Math.round(width * 0.63);
	const canvas = canvasOf(width, height);
	const g = canvas.getContext('2d');
	g.fillStyle = '#fffdf8';
	g.beginPath();
	g.roundRect(0, 0, width, height, width * 0.04);
	g.fill();
	g.fillStyle = '#b91c1c';
	g.fillRect(0, 0, width, height * 0.16);
	g.fillStyle = '#44403c';
	for (let line = 0; line < 3; line++) {
		g.fillRect(
			width * 0.62,
			height * (0.3 + line * 0.14),
			width * (0.3 - line * 0.06),
			height * 0.06
		);
	}
	const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
	const across = modules.size + 8; // with the 4-module quiet zone
	const side = height * 0.78;
	const module = side / across;
	const left = width * 0.04;
	const top = height * 0.19;
	g.fillStyle = inverted ? '#1c1917' : '#ffffff';
	g.fillRect(left, top, side, side);
	g.fillStyle = inverted ? '#f5f5f4' : '#111111';
	for (let row = 0; row < modules.size; row++) {
		for (let col = 0; col < modules.size; col++) {
			if (!modules.data[row * modules.size + col]) continue;
			// A hair wider than the module, so no seams show between neighbours.
			g.fillRect(left + (col + 4) * module, top + (row + 4) * module, module + 0.6, module + 0.6);
		}
	}
	return { canvas, qr: { left, top, side, module } };
}

/** The card turned away about its vertical axis: the far edge shorter, the columns foreshortened. */
function tilt(card, k) {
	const { width, height } = card;
	const out = canvasOf(width, height);
	const g = out.getContext('2d');
	const scale = (u) => 1 / (1 + k * u);
	for (let x = 0; x < width; x++) {
		const u0 = x / width;
		const u1 = (x + 1) / width;
		const x0 = u0 * width * scale(u0);
		const x1 = u1 * width * scale(u1);
		const h = height * scale(u0);
		g.drawImage(card, x, 0, 1, height, x0, (height - h) / 2, Math.max(1, x1 - x0 + 0.5), h);
	}
	return out;
}

/** The conditions of the README's table; each draws one frame from a seeded generator. */
export const CONDITIONS = {
	clean: {},
	'small (card 25% of the width)': { cardWidth: 0.25 },
	'small (card 15% of the width)': { cardWidth: 0.15 },
	blurred: { blur: 2 },
	'rotated 15°': { angle: 15 },
	'rotated 45°': { angle: 45 },
	'rotated 90°': { angle: 90 },
	dim: { dim: true },
	glare: { glare: true },
	tilted: { tilt: 0.8 },
	'covered corner': { cover: 'corner' },
	'covered finder': { cover: 'finder' },
	inverted: { inverted: true }
};

/** One 1280×720 frame of `text` on a card held under `condition`; `seed` moves and jitters it. */
export function drawFrame(text, conditionName, seed) {
	const condition = CONDITIONS[conditionName];
	const random = seeded(seed * 7919 + conditionName.length * 104729);
	const frame = canvasOf(FRAME_WIDTH, FRAME_HEIGHT);
	const g = frame.getContext('2d');
	// The counter behind the card: a warm grey with a soft light falloff.
	const light = g.createRadialGradient(640, 300, 100, 640, 360, 900);
	light.addColorStop(0, '#9c948a');
	light.addColorStop(1, '#5d5750');
	g.fillStyle = light;
	g.fillRect(0, 0, FRAME_WIDTH, FRAME_HEIGHT);

	const cardWidth = Math.round(
		FRAME_WIDTH * (condition.cardWidth ?? 0.4) * (0.95 + random() * 0.1)
	);
	const drawn = drawCard(text, cardWidth, condition.inverted === true);
	let card = drawn.canvas;
	const { qr } = drawn;
	if (condition.cover) {
		// A fingertip: the uncoated corner (no finder pattern there) or over the top-left finder.
		const c = card.getContext('2d');
		c.fillStyle = '#d9a384';
		const size = qr.side * 0.26;
		const [x, y] =
			condition.cover === 'corner'
				? [qr.left + qr.side - size * 0.85, qr.top + qr.side - size * 0.85]
				: [qr.left - size * 0.1, qr.top - size * 0.1];
		c.beginPath();
		c.roundRect(x, y, size * 1.4, size * 1.2, size * 0.5);
		c.fill();
	}
	if (condition.tilt) card = tilt(card, condition.tilt);

	// Held by a hand: never quite level, never quite centred.
	const angle = ((condition.angle ?? 0) + (random() - 0.5) * 6) * (Math.PI / 180);
	const cx = FRAME_WIDTH / 2 + (random() - 0.5) * (FRAME_WIDTH - cardWidth * 1.6) * 0.6;
	const cy = FRAME_HEIGHT / 2 + (random() - 0.5) * 120;
	g.save();
	g.translate(cx, cy);
	g.rotate(angle);
	g.shadowColor = 'rgb(0 0 0 / 0.35)';
	g.shadowBlur = 12;
	g.drawImage(card, -card.width / 2, -card.height / 2);
	g.restore();

	if (condition.glare) {
		// A ceiling lamp on the laminate, over part of the code.
		const gx = cx - card.width / 2 + qr.left + qr.side * (0.45 + random() * 0.2);
		const gy = cy - card.height / 2 + qr.top + qr.side * (0.35 + random() * 0.2);
		const r = qr.side * 0.3;
		const blob = g.createRadialGradient(gx, gy, r * 0.15, gx, gy, r);
		blob.addColorStop(0, 'rgb(255 255 255 / 0.95)');
		blob.addColorStop(0.5, 'rgb(255 255 255 / 0.7)');
		blob.addColorStop(1, 'rgb(255 255 255 / 0)');
		g.fillStyle = blob;
		g.fillRect(gx - r, gy - r, 2 * r, 2 * r);
	}

	let out = frame;
	if (condition.blur || condition.dim) {
		out = canvasOf(FRAME_WIDTH, FRAME_HEIGHT);
		const o = out.getContext('2d');
		o.filter = condition.dim ? 'brightness(0.28) contrast(0.6)' : `blur(${condition.blur}px)`;
		o.drawImage(frame, 0, 0);
	}
	addSensorNoise(out, random, condition.dim ? 5 : 4);
	return out;
}

/** A webcam's grain: seeded noise on every pixel. */
function addSensorNoise(canvas, random, amplitude) {
	const g = canvas.getContext('2d');
	const image = g.getImageData(0, 0, canvas.width, canvas.height);
	const data = image.data;
	for (let i = 0; i < data.length; i += 4) {
		const n = (random() + random() - 1) * amplitude;
		data[i] += n;
		data[i + 1] += n;
		data[i + 2] += n;
	}
	g.putImageData(image, 0, 0);
}

async function timed(decode) {
	const start = performance.now();
	const text = await decode().catch(() => null);
	return { ms: performance.now() - start, text };
}

function frameToFile(frame) {
	return new Promise((resolve) =>
		frame.toBlob(
			(blob) => resolve(new File([blob], 'frame.png', { type: 'image/png' })),
			'image/png'
		)
	);
}

/** The approaches compared, each a function from a frame (canvas and its PNG file) to text. */
async function approaches() {
	const locateFile = (path, prefix) =>
		path.endsWith('.wasm') ? new URL(wasmUrl, location.href).href : prefix + path;
	await prepareZXingModule({ overrides: { locateFile }, fireImmediately: true });
	const detector = new BarcodeDetector({ formats: ['qr_code'] });
	const detect = async (source) => {
		const [found] = await detector.detect(source);
		return found?.rawValue ?? null;
	};

	const host = (id) => {
		const element = document.createElement('div');
		element.id = id;
		element.style.width = `${FRAME_WIDTH}px`;
		document.body.append(element);
		return id;
	};
	const html5Config = {
		formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE],
		useBarCodeDetectorIfSupported: true,
		verbose: false
	};
	// The kiosk's path (camera-scanner.ts): the video's frame copied at its own size, then decoded.
	const copy = canvasOf(FRAME_WIDTH, FRAME_HEIGHT).getContext('2d', { willReadFrequently: true });
	const decodeVideo = async (video) => {
		copy.canvas.width = video.videoWidth;
		copy.canvas.height = video.videoHeight;
		copy.drawImage(video, 0, 0);
		return detect(copy.getImageData(0, 0, video.videoWidth, video.videoHeight));
	};
	const small = canvasOf(OLD_BOX_WIDTH, Math.round((OLD_BOX_WIDTH * FRAME_HEIGHT) / FRAME_WIDTH));
	const smallContext = small.getContext('2d');
	const ours = {
		'BarcodeDetector (zxing-wasm), full frame': ({ frame }) => detect(frame),
		'the kiosk: video → canvas → BarcodeDetector, full frame': ({ video }) => decodeVideo(video),
		'BarcodeDetector (zxing-wasm), scaled to 480 px (the old box)': ({ frame }) => {
			smallContext.drawImage(frame, 0, 0, small.width, small.height);
			return detect(small);
		}
	};
	if (!Html5Qrcode) return ours;

	// As designed on Chromium for Linux, which has no BarcodeDetector: its own ZXing JS port.
	const html5 = new Html5Qrcode(host('html5-as-designed'), html5Config);
	// The same public API once a BarcodeDetector exists: it tries that first, then its port.
	globalThis.BarcodeDetector = BarcodeDetector;
	const html5WithDetector = new Html5Qrcode(host('html5-with-detector'), html5Config);
	delete globalThis.BarcodeDetector;
	return {
		...ours,
		'html5-qrcode scanFileV2, as designed (ZXing JS)': ({ file }) =>
			html5.scanFileV2(file, false).then((result) => result.decodedText),
		'html5-qrcode scanFileV2 + BarcodeDetector': ({ file }) =>
			html5WithDetector.scanFileV2(file, false).then((result) => result.decodedText),
		// What scanFileV2 spends before it decodes: the PNG read back into a canvas.
		'(PNG load + draw, inside scanFileV2 times)': async ({ file }) => {
			const image = new Image();
			image.src = URL.createObjectURL(file);
			await image.decode();
			const canvas = canvasOf(image.width, image.height);
			canvas.getContext('2d').drawImage(image, 0, 0);
			URL.revokeObjectURL(image.src);
			return null;
		}
	};
}

/** The frame as a playing <video>, the way the camera's frames reach the kiosk. */
async function videoOf(frame) {
	const stream = frame.captureStream(30);
	const video = document.createElement('video');
	video.muted = true;
	video.srcObject = stream;
	document.body.append(video);
	// A canvas stream carries a frame only when the canvas is painted: repaint one pixel as it was
	// while play() waits for the first frame.
	const context = frame.getContext('2d');
	const playing = video.play();
	for (let i = 0; i < 100 && video.videoWidth === 0; i++) {
		context.putImageData(context.getImageData(0, 0, 1, 1), 0, 0);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	if (video.videoWidth !== FRAME_WIDTH) throw new Error(`the video is ${video.videoWidth} wide`);
	await playing;
	return video;
}

/**
 * Decodes `variants` frames of every condition `repeats` times with every approach. Returns one
 * row per condition and approach: frames decoded (right text) and every decode's time.
 */
window.runScannerBench = async ({ cards, variants, repeats, conditions }) => {
	const decoders = await approaches();
	const rows = [];
	const samples = {};
	for (const condition of conditions ?? Object.keys(CONDITIONS)) {
		const frames = [];
		for (let v = 0; v < variants; v++) {
			const text = cards[v % cards.length];
			const frame = drawFrame(text, condition, v + 1);
			frames.push({ text, frame, file: await frameToFile(frame), video: await videoOf(frame) });
		}
		samples[condition] = frames[0].frame.toDataURL('image/png');
		for (const [approach, decode] of Object.entries(decoders)) {
			let decoded = 0;
			const times = [];
			for (const input of frames) {
				let ok = false;
				for (let r = 0; r < repeats; r++) {
					const { ms, text } = await timed(() => decode(input));
					times.push(ms);
					ok ||= text === input.text;
				}
				if (ok) decoded += 1;
			}
			rows.push({ condition, approach, decoded, frames: frames.length, times });
		}
		for (const { video } of frames) {
			video.srcObject.getTracks().forEach((track) => track.stop());
			video.remove();
		}
	}
	return { rows, samples };
};
window.scannerBenchReady = true;
