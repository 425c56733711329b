#!/usr/bin/env node
/**
 * `npm run bench`, after tsc has compiled bench/ into build-test/: runs the benchmark, starting each of its
 * processes (the service, one per run of the node) with an IPC channel. Process spawning lives in this
 * script, as in test/e2e, because the node code's lint rules rightly forbid it in TypeScript.
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = path.join(root, 'build-test', 'bench');
const { runBench } = createRequire(import.meta.url)(path.join(compiled, 'runBench.js'));

const launch = (name, argument, nodeOptions) =>
	fork(path.join(compiled, `${name}.js`), [argument], { execArgv: nodeOptions, cwd: root });

try {
	await runBench(launch);
} catch (error) {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exitCode = 1;
}
