import type { Kysely } from 'kysely';
import { dataDirectory, databaseFile, getDatabase } from './db/connection';
import { isDemoDatabase } from './db/installation';
import type { Database } from './db/schema';
import { mintEnrollmentCode, type MintedEnrollmentCode } from './devices/enrollment';
import { hasOfficeAccounts } from './office/accounts';
import {
	DEMO_ACCOUNTS,
	DEMO_COMMUNITY,
	DEMO_PASSWORD,
	isDatabaseEmpty,
	seedDemo
} from './seed/demo';
import { DEMO_STAFF } from './seed/demo-shop';

export function isDemoMode(env: NodeJS.ProcessEnv = process.env): boolean {
	return env.CREDIT_SHOP_DEMO === '1';
}

/** The address people should open, as adapter-node will serve it. */
export function publicOrigin(env: NodeJS.ProcessEnv = process.env): string {
	if (env.ORIGIN) return env.ORIGIN.replace(/\/$/, '');
	const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
	return `http://${host}:${env.PORT || '3000'}`;
}

export interface StartupSummary {
	demo: boolean;
	seeded: boolean;
	needsSetup: boolean;
	enrollmentCodes: MintedEnrollmentCode[];
}

/** The server must not start on this data folder; the message says why and what to do. */
export class StartRefused extends Error {}

function refuseDemoDataForReal(folder: string): StartRefused {
	return new StartRefused(
		[
			`拒绝启动：数据文件夹 ${folder} 里是演示数据（由 npm run demo 创建），`,
			'演示账号密码和卡片是公开的，不能作为正式数据使用。',
			'正式使用请换一个 DATA_DIR（默认 ./data），演示请用 npm run demo。',
			`Refusing to start: ${folder} holds the demo community made by \`npm run demo\`;`,
			'its passwords, staff PINs and card sheet are public, so `npm start` will not serve it.',
			'Use another DATA_DIR for real data (default ./data), or `npm run demo` to run the demo.'
		].join('\n')
	);
}

function refuseRealDataForDemo(folder: string): StartRefused {
	return new StartRefused(
		[
			`拒绝启动：数据文件夹 ${folder} 里是正式数据，不能用演示模式打开。`,
			'演示请用空文件夹（默认 ./data-demo），正式使用请用 npm start。',
			`Refusing to start: ${folder} holds real data; demo mode will not open it.`,
			'Run the demo on an empty folder (default ./data-demo), or use `npm start`.'
		].join('\n')
	);
}

/**
 * Runs once when the server starts: opens and migrates the database, seeds the demo community
 * into an empty database in demo mode, and in demo mode mints fresh kiosk and display codes.
 * Demo and real data never mix: a real start refuses a demo database and the other way round
 * (throws StartRefused).
 */
export async function prepareServer(env: NodeJS.ProcessEnv = process.env): Promise<StartupSummary> {
	const folder = dataDirectory(env);
	const db = await getDatabase(folder);
	const demo = isDemoMode(env);
	const demoData = await isDemoDatabase(db);
	if (!demo && demoData) throw refuseDemoDataForReal(folder);
	if (demo && !demoData && !(await isDatabaseEmpty(db))) throw refuseRealDataForDemo(folder);
	let seeded = false;
	if (demo && (await isDatabaseEmpty(db))) {
		await seedDemo(db);
		seeded = true;
	}
	const enrollmentCodes = demo ? await mintDemoEnrollmentCodes(db) : [];
	return { demo, seeded, needsSetup: !(await hasOfficeAccounts(db)), enrollmentCodes };
}

async function mintDemoEnrollmentCodes(db: Kysely<Database>): Promise<MintedEnrollmentCode[]> {
	const community = await db
		.selectFrom('communities')
		.select('id')
		.where('slug', '=', DEMO_COMMUNITY.slug)
		.executeTakeFirst();
	if (!community) return [];
	return [
		await mintEnrollmentCode(db, { communityId: community.id, kind: 'kiosk' }),
		await mintEnrollmentCode(db, { communityId: community.id, kind: 'display' })
	];
}

function spaced(code: string): string {
	return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The block printed at start: where everything is, in Chinese and English. */
export function startupBanner(
	summary: StartupSummary,
	env: NodeJS.ProcessEnv = process.env
): string {
	const origin = publicOrigin(env);
	const kiosk = summary.enrollmentCodes.find((code) => code.kind === 'kiosk');
	const display = summary.enrollmentCodes.find((code) => code.kind === 'display');
	const lines = [
		'',
		'════════════════════════════════════════════════════════════════',
		` 信用超市 Credit shop${summary.demo ? ' — 演示模式 demo mode' : ''}`,
		'════════════════════════════════════════════════════════════════',
		` 柜台终端 Counter kiosk     ${origin}/kiosk`,
		` 大堂屏幕 Lobby display     ${origin}/display`,
		` 社区办公室 Office          ${origin}/admin`
	];
	if (summary.demo) {
		lines.push(
			` 演示卡片 Demo card sheet   ${origin}/demo/cards`,
			'',
			` 办公室登录 Office login    ${DEMO_ACCOUNTS.admin.username} / ${DEMO_PASSWORD}`,
			` 店员 Shopkeeper            ${DEMO_ACCOUNTS.shopkeeper.username} / ${DEMO_PASSWORD}`,
			` 店员卡密码 Staff card PIN   ${DEMO_STAFF.shopkeeper.pin}（店员老陈，卡在演示卡片页 — card on the sheet）`,
			` 店长复核密码 Manager PIN    ${DEMO_STAFF.manager.pin}（社区管理员 — second approval）`,
			'',
			` 柜台登记码 Kiosk enrollment code     ${kiosk ? spaced(kiosk.code) : '—'}`,
			` 屏幕登记码 Display enrollment code   ${display ? spaced(display.code) : '—'}`,
			'   (一次性，7 天内有效 — single use, valid for 7 days)'
		);
		if (summary.seeded) lines.push('', ' 已创建演示社区 Demo community created: 幸福里社区');
	} else if (summary.needsSetup) {
		lines.push(
			'',
			` 首次使用：请打开 ${origin}/admin/setup 创建第一个管理员账号`,
			` First start: open ${origin}/admin/setup to create the first office account`
		);
	}
	lines.push(
		'',
		` 数据 Data: ${databaseFile(dataDirectory(env))}`,
		'════════════════════════════════════════════════════════════════',
		''
	);
	return lines.join('\n');
}
