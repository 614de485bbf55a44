import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';
import { ITEM_PICTURE_CACHE, ITEM_PICTURE_URL } from './src/lib/kiosk/item-pictures.js';

export default defineConfig({
	plugins: [
		sveltekit(),
		SvelteKitPWA({
			registerType: 'prompt',
			injectRegister: false,
			strategies: 'generateSW',
			// Two installable apps, one manifest each (static/kiosk.webmanifest, static/display.webmanifest),
			// linked from their own route only: the plugin writes just one, so it writes none.
			manifest: false,
			workbox: {
				// The kiosk and display shells are prerendered; they are the only pages served offline.
				navigateFallback: null,
				globPatterns: [
					'client/**/*.{js,css,ico,png,svg,webp,woff,woff2,wasm,webmanifest}',
					'prerendered/**/*.{html,json}'
				],
				maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
				// Item pictures: from the cache the kiosk fills after each pull, else the network
				// (src/lib/kiosk/item-pictures.ts). Their names never change meaning, so never stale.
				runtimeCaching: [
					{
						urlPattern: ITEM_PICTURE_URL,
						handler: 'CacheFirst',
						options: { cacheName: ITEM_PICTURE_CACHE }
					}
				],
				cleanupOutdatedCaches: true,
				clientsClaim: false,
				skipWaiting: false
			}
		})
	],
	test: {
		include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
		environment: 'node',
		testTimeout: 20000,
		// Many suites seed the demo in beforeAll (~2 s through the office's functions, several
		// times that on a busy shared CPU): hooks get the tests' time, not Vitest's 10 s.
		hookTimeout: 20000
	}
});
