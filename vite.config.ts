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
			manifest: {
				name: '信用超市',
				short_name: '信用超市',
				lang: 'zh-CN',
				start_url: '/kiosk',
				display: 'fullscreen',
				background_color: '#fff8f0',
				theme_color: '#b91c1c',
				icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' }]
			},
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
