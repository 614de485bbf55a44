import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where bench/run.js wants a task's figures, from the environment. */
export function requiredEnv(name) {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set: run the benchmarks with \`npm run bench\``);
	return value;
}

export function writeJson(path, value) {
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, JSON.stringify(value, null, '\t'));
}

export function readJson(path) {
	return JSON.parse(readFileSync(path, 'utf8'));
}

/** @param {number[]} values @param {number} p between 0 and 1 */
export function percentile(values, p) {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
	return sorted[index];
}
