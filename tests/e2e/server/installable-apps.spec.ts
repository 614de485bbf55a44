import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, requireChromium } from '../../../scripts/find-chromium.js';
import { test, expect } from '../fixtures/test';

/*
 * Issue 13 §5: the counter and the lobby TV install as full-screen apps, each with its own Chinese
 * manifest; only those two forbid zooming. Chromium's own manifest parser and installability
 * check (DevTools protocol) are the judges, as they are when a person installs the app.
 */

interface ManifestCheck {
	errors: { message: string; critical: number }[];
	installabilityErrors: { errorId: string }[];
	manifest: Record<string, unknown>;
}

async function chromiumManifestCheck(page: Page): Promise<ManifestCheck> {
	const cdp = await page.context().newCDPSession(page);
	try {
		const { url, errors, data } = await cdp.send('Page.getAppManifest');
		expect(url, 'the page links a manifest').not.toBe('');
		const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
		return { errors, installabilityErrors, manifest: JSON.parse(data ?? '{}') };
	} finally {
		await cdp.detach();
	}
}

async function viewportContent(page: Page): Promise<string[]> {
	return page
		.locator('meta[name="viewport"]')
		.evaluateAll((metas) => metas.map((meta) => meta.getAttribute('content') ?? ''));
}

const APPS = [
	{ path: '/kiosk', name: '信用超市 · 柜台', shown: 'setup-code-input' },
	{ path: '/display', name: '信用超市 · 大堂屏幕', shown: 'display-setup' }
] as const;

for (const app of APPS) {
	test(`${app.path} is an installable full-screen app with a Chinese manifest and no zoom`, async ({
		server
	}) => {
		// Chromium installs nothing from an incognito profile, and Playwright's contexts are
		// incognito: this test has a browser with a profile folder of its own.
		const profile = await mkdtemp(join(tmpdir(), 'credit-shop-install-'));
		const context = await chromium.launchPersistentContext(profile, {
			executablePath: requireChromium().executablePath,
			args: CHROMIUM_ARGS,
			baseURL: server.baseURL,
			locale: 'zh-CN'
		});
		try {
			await checkInstallable(context.pages()[0] ?? (await context.newPage()), app);
		} finally {
			await context.close();
			await rm(profile, { recursive: true, force: true });
		}
	});
}

async function checkInstallable(page: Page, app: (typeof APPS)[number]): Promise<void> {
	await page.goto(app.path);
	await expect(page.getByTestId(app.shown)).toBeVisible();
	// The manifest link comes with the page's script (the shells are client-rendered).
	await expect(page.locator('link[rel="manifest"]')).toHaveCount(1);

	const check = await chromiumManifestCheck(page);
	expect(check.errors).toEqual([]);
	expect(check.installabilityErrors).toEqual([]);
	expect(check.manifest).toMatchObject({
		name: app.name,
		lang: 'zh-CN',
		display: 'fullscreen',
		start_url: app.path,
		scope: app.path
	});
	const icons = check.manifest.icons as { sizes: string; purpose?: string }[];
	expect(icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
	expect(icons.some((icon) => icon.purpose === 'maskable')).toBe(true);

	// The route's own viewport rule comes last, so it is the one Chromium applies.
	expect((await viewportContent(page)).at(-1)).toContain('user-scalable=no');
}

for (const path of ['/admin/login', '/demo/cards']) {
	test(`${path} can be zoomed and links no app manifest`, async ({ page }) => {
		await page.goto(path);
		await expect(page.locator('h1').first()).toBeVisible();
		for (const content of await viewportContent(page)) {
			expect(content).not.toContain('user-scalable=no');
			expect(content).not.toContain('maximum-scale');
		}
		await expect(page.locator('link[rel="manifest"]')).toHaveCount(0);
	});
}
