// @ts-check
/**
 * The browser half of `npm run bench`: real Chromium against the server that bench/run.js
 * started. Not part of `npm test`.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, FAKE_MEDIA_ARGS, requireChromium } from '../scripts/find-chromium.js';

const { executablePath } = requireChromium();

export default defineConfig({
	testDir: './browser',
	testMatch: '**/*.bench.js',
	outputDir: './.tmp/test-results',
	workers: 1,
	retries: 0,
	timeout: 10 * 60_000,
	expect: { timeout: 30_000 },
	reporter: [['list']],
	use: {
		baseURL: process.env.BENCH_BASE_URL,
		// A step that cannot happen fails with the page's snapshot instead of waiting out the test.
		actionTimeout: 30_000,
		viewport: { width: 1280, height: 800 },
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		permissions: ['camera'],
		serviceWorkers: 'allow',
		launchOptions: { executablePath, args: [...CHROMIUM_ARGS, ...FAKE_MEDIA_ARGS] }
	}
});
