/**
 * Finds the Chromium that the end-to-end tests and the benchmarks drive: Playwright's own build
 * when it is installed, else Debian's `chromium`. Playwright cannot download its browser on every
 * machine (closed networks), so the system package is a first-class fallback.
 *
 * Run it directly (`node scripts/find-chromium.js`) to print the path, or to learn how to get one.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_MISSING_MESSAGE =
	'No Chromium found for the end-to-end tests.\n' +
	"  Install Debian's chromium:   apt-get install chromium fonts-noto-cjk\n" +
	"  or Playwright's own build:   npx playwright install chromium";

/**
 * Flags for a browser that runs as root in a closed network: no sandbox (root), no GPU (servers),
 * and none of the background traffic that would wait on a network that is not there.
 */
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];

/** A fake camera and microphone that never ask for permission. */
export const FAKE_MEDIA_ARGS = [
	'--use-fake-ui-for-media-stream',
	'--use-fake-device-for-media-stream'
];

/**
 * @param {string} y4mPath a YUV4MPEG2 file that Chromium plays as the camera, in a loop
 * @returns {string[]}
 */
export function fakeCameraArgs(y4mPath) {
	return [...FAKE_MEDIA_ARGS, `--use-file-for-fake-video-capture=${y4mPath}`];
}

/**
 * @typedef {{ executablePath: string, source: 'playwright' | 'system' }} ChromiumLocation
 */

/** @returns {ChromiumLocation | null} */
export function findChromium() {
	const fromEnvironment = process.env.CHROMIUM_PATH;
	if (fromEnvironment && existsSync(fromEnvironment)) {
		return { executablePath: fromEnvironment, source: 'system' };
	}
	/** @type {string | undefined} */
	let bundled;
	try {
		bundled = chromium.executablePath();
	} catch {
		// Playwright throws when it does not know a build for this platform.
		bundled = undefined;
	}
	if (bundled && existsSync(bundled)) return { executablePath: bundled, source: 'playwright' };
	if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, source: 'system' };
	return null;
}

/**
 * The Chromium to launch, or a clear message and exit code 1 when there is none.
 * @returns {ChromiumLocation}
 */
export function requireChromium() {
	const found = findChromium();
	if (!found) {
		console.error(CHROMIUM_MISSING_MESSAGE);
		process.exit(1);
	}
	return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const found = requireChromium();
	console.log(`${found.executablePath} (${found.source})`);
}
