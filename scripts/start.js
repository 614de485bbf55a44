#!/usr/bin/env node
// Starts the built server: `node scripts/start.js [--demo]`.
// Builds first when build/ is missing or older than the sources, then runs build/index.js with
// the environment adapter-node reads (PORT, HOST, ORIGIN, …) plus DATA_DIR and demo mode, forwards
// Ctrl-C and termination to it, and exits with its exit code.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const serverEntry = join(root, 'build', 'index.js');
const sourcePaths = [
	'src',
	'static',
	'package.json',
	'package-lock.json',
	'svelte.config.js',
	'vite.config.ts'
];

/** Newest modification time under a path (files and folders, recursively). */
function newestChange(path) {
	if (!existsSync(path)) return 0;
	const stats = statSync(path);
	if (!stats.isDirectory()) return stats.mtimeMs;
	let newest = stats.mtimeMs;
	for (const entry of readdirSync(path)) {
		if (entry === 'node_modules' || entry.startsWith('.')) continue;
		newest = Math.max(newest, newestChange(join(path, entry)));
	}
	return newest;
}

function buildIsStale() {
	if (!existsSync(serverEntry)) return true;
	const built = statSync(serverEntry).mtimeMs;
	return sourcePaths.some((path) => newestChange(join(root, path)) > built);
}

const demo = process.argv.slice(2).includes('--demo');

if (buildIsStale()) {
	// The build's own output (plugin timings, "npm run preview" advice) is for developers: it is
	// kept and shown only when the build fails, so the banner is what a person starting sees.
	console.log('构建中，首次约需一两分钟 Building…');
	const started = Date.now();
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const build = spawnSync(npm, ['run', 'build', '--silent'], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'pipe'],
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024
	});
	if (build.status !== 0) {
		process.stdout.write(build.stdout ?? '');
		process.stderr.write(build.stderr ?? '');
		console.error('构建失败 Build failed.');
		process.exit(build.status ?? 1);
	}
	console.log(`构建完成（${Math.round((Date.now() - started) / 1000)} 秒）Built.`);
}

const port = process.env.PORT || '3000';
const host =
	process.env.HOST && !['0.0.0.0', '::'].includes(process.env.HOST)
		? process.env.HOST
		: 'localhost';

const env = {
	...process.env,
	// Demo and real data live apart by default; the server refuses to serve one as the other.
	DATA_DIR: process.env.DATA_DIR
		? resolve(process.env.DATA_DIR)
		: join(root, demo ? 'data-demo' : 'data'),
	PORT: port,
	// Without ORIGIN, adapter-node assumes https and SvelteKit refuses the office's form posts
	// over plain http. Other machines in the LAN need ORIGIN set to the address they use.
	ORIGIN: process.env.ORIGIN || `http://${host}:${port}`,
	// The push API allows 1 MB bodies and checks that itself; adapter-node's default is 512 KB.
	BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT || '2M',
	CREDIT_SHOP_DEMO: demo ? '1' : process.env.CREDIT_SHOP_DEMO || ''
};

const server = spawn(process.execPath, [serverEntry], { cwd: root, env, stdio: 'inherit' });

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => server.kill(signal));
}

server.on('exit', (code, signal) => {
	process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1));
});
