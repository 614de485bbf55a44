import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	SERVER_INFO_PATH,
	SERVER_LOG_PATH,
	TEST_TMP_DIR,
	testServerPort,
	type TestServerInfo
} from './fixtures/test-server';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT_SERVER = join(ROOT, 'build', 'index.js');
const START_TIMEOUT_MS = 90_000;
/** The demo start prints one enrollment code, shown as 4-4 digits. */
const PRINTED_CODE = /(?:登记码|enrol\w*[^\n\d]*?)[^\n\d]*(\d{4}-?\d{4})/i;

/**
 * Starts the built server (`node build/index.js`) on the port the config chose, with a fresh
 * DATA_DIR and the demo community, waits until it answers, and stops it after the run.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
	if (!existsSync(BUILT_SERVER)) {
		throw new Error(`${BUILT_SERVER} is missing: run \`npm run build\` first (npm test does).`);
	}
	const port = testServerPort();
	const baseURL = `http://127.0.0.1:${port}`;
	await mkdir(TEST_TMP_DIR, { recursive: true });
	const dataDir = await mkdtemp(join(tmpdir(), 'credit-shop-e2e-'));
	const log = createWriteStream(SERVER_LOG_PATH);

	const server = spawn(process.execPath, [BUILT_SERVER], {
		cwd: ROOT,
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: baseURL,
			DATA_DIR: dataDir,
			// As scripts/start.js sets it: the push API takes 1 MB bodies and checks them itself.
			BODY_SIZE_LIMIT: '2M',
			CREDIT_SHOP_DEMO: '1'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const collect = (chunk: Buffer) => {
		output += chunk.toString('utf8');
		log.write(chunk);
	};
	server.stdout.on('data', collect);
	server.stderr.on('data', collect);
	const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));

	try {
		await waitUntilServing(baseURL, exited);
	} catch (error) {
		server.kill('SIGTERM');
		log.end();
		throw new Error(`${(error as Error).message}\n--- server output ---\n${output.slice(-4000)}`, {
			cause: error
		});
	}

	const info: TestServerInfo = {
		baseURL,
		dataDir,
		databasePath: join(dataDir, 'credit-shop.sqlite'),
		printedEnrollCode: PRINTED_CODE.exec(output)?.[1] ?? null,
		pid: server.pid ?? -1
	};
	await writeFile(SERVER_INFO_PATH, JSON.stringify(info, null, '\t'));

	return async () => {
		server.kill('SIGTERM');
		await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
		if (server.exitCode === null) server.kill('SIGKILL');
		log.end();
		// Keep the data when asked, to look at the server's database after a failure.
		if (process.env.CREDIT_SHOP_E2E_KEEP_DATA) {
			console.log(`e2e data kept in ${dataDir}`);
		} else {
			await rm(dataDir, { recursive: true, force: true });
		}
	};
}

async function waitUntilServing(baseURL: string, exited: Promise<number | null>): Promise<void> {
	let exitCode: number | null | undefined;
	void exited.then((code) => (exitCode = code));
	const deadline = Date.now() + START_TIMEOUT_MS;
	while (Date.now() < deadline) {
		if (exitCode !== undefined) throw new Error(`the server exited with code ${exitCode}`);
		try {
			const response = await fetch(`${baseURL}/kiosk`, { signal: AbortSignal.timeout(2000) });
			if (response.status < 500) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`the server did not answer at ${baseURL} within ${START_TIMEOUT_MS / 1000} s`);
}

/** For specs that want the full server output (e.g. to find a printed code). */
export async function readServerLog(): Promise<string> {
	return readFile(SERVER_LOG_PATH, 'utf8');
}
