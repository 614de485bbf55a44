// Vitest runs the in-process benchmark tasks (server seeding, kiosk card lookup) with SvelteKit's
// `$lib` alias. Not part of `npm test`: `npm run bench` (bench/run.js) calls it.
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['bench/tasks/**/*.task.js'],
		environment: 'node',
		testTimeout: 15 * 60_000,
		hookTimeout: 15 * 60_000,
		fileParallelism: false
	}
});
