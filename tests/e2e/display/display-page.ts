import { expect, type Locator, type Page, type Route } from '@playwright/test';
import { expectNoA11yViolations } from '../fixtures/axe';

/** The slide kinds in `data-slide`, as the player names them. */
export type SlideKind =
	| 'board-red'
	| 'board-black'
	| 'story'
	| 'merchants'
	| 'buildings'
	| 'earn-rules'
	| 'new-items'
	| 'calm';

declare global {
	interface Window {
		/** Slide kinds in the order they came to the front, recorded by the init script. */
		__displaySlides?: string[];
		/** Frames (rAF) in which no layer was fully opaque: a see-through, blank frame. */
		__displayBlankFrames?: number;
		__displayFramesSeen?: number;
	}
}

/**
 * The lobby display (`/display`) as a person installing a TV sees it, plus what the specs record
 * about it: the order slides come to the front and, every animation frame, whether some layer
 * was fully opaque (a frame without one would show the background through: a blank frame).
 */
export class DisplayPage {
	readonly setup: Locator;
	readonly display: Locator;
	readonly frontLayer: Locator;
	readonly community: Locator;
	readonly clock: Locator;
	readonly freshness: Locator;
	readonly offlineHint: Locator;

	constructor(readonly page: Page) {
		this.setup = page.getByTestId('display-setup');
		this.display = page.getByTestId('display');
		this.frontLayer = page.locator('[data-testid="display-layer"][data-front="true"]');
		this.community = page.getByTestId('display-community');
		this.clock = page.getByTestId('display-clock');
		this.freshness = page.getByTestId('display-freshness');
		this.offlineHint = page.getByTestId('display-offline');
	}

	/** Records the slide order and blank frames from the first paint on, across reloads. */
	async record(): Promise<void> {
		await this.page.addInitScript(() => {
			window.__displaySlides = [];
			window.__displayBlankFrames = 0;
			window.__displayFramesSeen = 0;
			const watch = () => {
				const layers = Array.from(document.querySelectorAll('[data-testid="display-layer"]'));
				if (layers.length > 0) {
					window.__displayFramesSeen = (window.__displayFramesSeen ?? 0) + 1;
					const opaque = layers.some((layer) => Number(getComputedStyle(layer).opacity) >= 0.999);
					if (!opaque) window.__displayBlankFrames = (window.__displayBlankFrames ?? 0) + 1;
					const front = document.querySelector('[data-testid="display-layer"][data-front="true"]');
					const kind = front?.getAttribute('data-slide');
					const log = window.__displaySlides ?? [];
					if (kind && log[log.length - 1] !== kind) log.push(kind);
				}
				requestAnimationFrame(watch);
			};
			requestAnimationFrame(watch);
		});
	}

	/** Opens `/display`, with `?speed=` and `?check=` for the tests. */
	async open(options: { speed?: number; check?: number } = {}): Promise<void> {
		const query = new URLSearchParams();
		if (options.speed) query.set('speed', String(options.speed));
		if (options.check) query.set('check', String(options.check));
		await this.page.goto(`/display${query.size ? `?${query}` : ''}`);
	}

	/** Types the code on the on-screen keypad, as with a TV remote's pointer, and enrolls. */
	async enroll(code: string): Promise<void> {
		await expect(this.setup).toBeVisible();
		await expectNoA11yViolations(this.page, 'display setup');
		for (const digit of code.replace(/\D/g, '')) {
			await this.setup.getByRole('button', { name: digit, exact: true }).click();
		}
		await this.page.getByTestId('display-setup-submit').click();
		await expect(this.setup).toBeHidden({ timeout: 15_000 });
	}

	async frontKind(): Promise<string | null> {
		return this.frontLayer.getAttribute('data-slide');
	}

	async waitForSlide(kind: SlideKind, timeout = 30_000): Promise<void> {
		await expect(this.frontLayer).toHaveAttribute('data-slide', kind, { timeout });
		await expectNoA11yViolations(this.page, `display slide ${kind}`);
	}

	/** Slide changes since the page loaded. */
	async changes(): Promise<number> {
		return Number(await this.display.getAttribute('data-changes'));
	}

	/** Waits until `count` more slides have come to the front. */
	async waitForMoreSlides(count: number, timeout = 30_000): Promise<void> {
		const start = await this.changes();
		await expect.poll(() => this.changes(), { timeout }).toBeGreaterThanOrEqual(start + count);
	}

	async recordedSlides(): Promise<string[]> {
		return this.page.evaluate(() => window.__displaySlides ?? []);
	}

	async blankFrames(): Promise<{ blank: number; seen: number }> {
		return this.page.evaluate(() => ({
			blank: window.__displayBlankFrames ?? 0,
			seen: window.__displayFramesSeen ?? 0
		}));
	}

	/**
	 * Luminance spread (standard deviation, 0–255) and mean of a screenshot: a blank, black or
	 * white frame has a spread near 0. The PNG is decoded by the page's own canvas.
	 */
	async screenshotSpread(): Promise<{ spread: number; mean: number }> {
		const png = await this.page.screenshot({ animations: 'allow' });
		return this.page.evaluate(async (base64) => {
			// Not fetch(data:…): the page's Content-Security-Policy allows no data: connections.
			const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
			const blob = new Blob([bytes], { type: 'image/png' });
			const bitmap = await createImageBitmap(blob);
			const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
			const context = canvas.getContext('2d');
			if (!context) throw new Error('no 2d context');
			context.drawImage(bitmap, 0, 0);
			const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
			let sum = 0;
			let squares = 0;
			let count = 0;
			for (let i = 0; i < data.length; i += 16) {
				const luminance = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
				sum += luminance;
				squares += luminance * luminance;
				count++;
			}
			const mean = sum / count;
			return { spread: Math.sqrt(Math.max(0, squares / count - mean * mean)), mean };
		}, png.toString('base64'));
	}
}

/**
 * Serves the display feed through `page.route`: the real server's whole answer (asked without
 * `since`, with the display's own token) changed by `change`, so each check sees what `change`
 * makes of it at that moment.
 */
export async function routeFeed(
	page: Page,
	change: (feed: Record<string, unknown>) => unknown
): Promise<void> {
	await page.route('**/api/display/feed*', async (route: Route) => {
		const url = new URL(route.request().url());
		url.searchParams.delete('since');
		const response = await route.fetch({ url: url.toString() });
		if (response.status() !== 200) return route.fulfill({ response });
		const feed = (await response.json()) as Record<string, unknown>;
		await route.fulfill({ response, json: change(feed) });
	});
}

/** The playlist without its day parts, so a test sees the rotation at any time of day. */
export function withoutDayParts(feed: Record<string, unknown>): Record<string, unknown> {
	const playlist = feed.playlist as { dayParts: unknown[] };
	return { ...feed, playlist: { ...playlist, dayParts: [] } };
}
