/**
 * `npm run test:e2e`: the Playwright end-to-end tests in a real Chromium (Playwright's own where
 * installed, else the system's), against the built server. Builds first when there is no build.
 * Extra arguments go to `playwright test` (e.g. `npm run test:e2e -- tests/e2e/kiosk/wedge-scan`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireChromium } from './find-chromium.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const chromium = requireChromium();
console.log(`e2e: Chromium ${chromium.executablePath} (${chromium.source})`);

if (!existsSync(`${root}/build/index.js`)) {
	console.log('e2e: no build yet, running `npm run build`');
	const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
	if (build.status !== 0) process.exit(build.status ?? 1);
}

const playwrightCli = fileURLToPath(
	new URL('../node_modules/@playwright/test/cli.js', import.meta.url)
);
const run = spawnSync(process.execPath, [playwrightCli, 'test', ...process.argv.slice(2)], {
	cwd: root,
	stdio: 'inherit',
	env: { ...process.env, CHROMIUM_PATH: chromium.executablePath }
});
process.exit(run.status ?? 1);
