// @ts-check
/**
 * End-to-end tests in a real Chromium against the built server. Run them with `npm run test:e2e`
 * (scripts/e2e.js), which builds first when there is no build. Global setup starts
 * `node build/index.js` with a fresh DATA_DIR and the demo community on a free port.
 */
import { createServer } from 'node:net';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, FAKE_MEDIA_ARGS, requireChromium } from './scripts/find-chromium.js';

/** @returns {Promise<number>} */
function findFreePort() {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => resolve(port));
		});
	});
}

// The config is evaluated in the runner and again in every worker; workers inherit the
// environment, so the port is chosen once and everyone agrees on the server's address.
if (!process.env.CREDIT_SHOP_E2E_PORT) {
	process.env.CREDIT_SHOP_E2E_PORT = String(await findFreePort());
}
const baseURL = `http://127.0.0.1:${process.env.CREDIT_SHOP_E2E_PORT}`;
const { executablePath } = requireChromium();
const inCI = Boolean(process.env.CI);

export default defineConfig({
	testDir: './tests/e2e',
	outputDir: './test-results',
	globalSetup: './tests/e2e/global-setup.ts',
	// Two cores: the server, and two browsers at most.
	workers: 2,
	fullyParallel: false,
	forbidOnly: inCI,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: inCI ? [['list']] : [['list'], ['html', { open: 'never' }]],
	use: {
		baseURL,
		viewport: { width: 1280, height: 800 },
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		permissions: ['camera'],
		serviceWorkers: 'allow',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath,
			args: [...CHROMIUM_ARGS, ...FAKE_MEDIA_ARGS]
		}
	},
	projects: [{ name: 'chromium' }]
});
