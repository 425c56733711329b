/**
 * Loads the service emulator (TypeScript in test/emulator/, compiled by tsconfig.test.json into build-test/).
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import { REPO_ROOT, runCapture } from './process.mjs';

const COMPILED_ENTRY = path.join(REPO_ROOT, 'build-test', 'test', 'emulator', 'index.js');

/** Files the e2e scripts load from build-test/: the emulator and, through it and the checks, the node's code. */
const LOADED = /^(test\/emulator|test\/hostile|nodes|credentials)\//;

/**
 * Compiles the test tree. tsc writes every file even when some have type errors; errors in what the e2e scripts
 * load fail here, errors in other tests (which `npm test` reports) are only counted.
 * @returns how many type errors were left to `npm test`
 */
export async function compileEmulator() {
	const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
	const result = await runCapture(process.execPath, [tsc, '-p', 'tsconfig.test.json'], {
		allowFailure: true,
	});
	const errors = result.stdout.split('\n').filter((line) => /^\S.*\(\d+,\d+\): error /.test(line));
	const blocking = errors.filter((line) => LOADED.test(line));
	if (blocking.length > 0 || (result.code !== 0 && errors.length === 0)) {
		throw new Error(`tsc -p tsconfig.test.json failed:\n${result.stdout.trim()}`);
	}
	return errors.length;
}

/** The emulator module: `{ startEmulator, DEFAULT_ACCOUNT, FIXTURES, ... }`. */
export function loadEmulator() {
	return createRequire(import.meta.url)(COMPILED_ENTRY);
}
