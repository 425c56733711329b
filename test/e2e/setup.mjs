#!/usr/bin/env node
/**
 * Installs what the e2e suite, the browser test and `npm run dev` need, reusing whatever is already there:
 * Node 24 + n8n into `.n8n-runtime/`, chromium and a C++ toolchain from Debian. `--no-browser` skips chromium.
 */
import { ensureRuntime, N8N_VERSION, NODE_VERSION, RUNTIME_DIR } from './lib/runtime.mjs';
import { secondsSince } from './lib/process.mjs';

const start = performance.now();
const browser = !process.argv.includes('--no-browser');
try {
	const installed = await ensureRuntime({ browser, log: (line) => console.log(`setup: ${line}`) });
	const what = installed.length ? `installed ${installed.join(', ')}` : 'reused';
	console.log(
		`setup: n8n ${N8N_VERSION} on Node ${NODE_VERSION} in ${RUNTIME_DIR} ready (${what}) in ${secondsSince(start)} s`,
	);
} catch (error) {
	console.error(`setup: FAILED after ${secondsSince(start)} s: ${error.message}`);
	process.exitCode = 1;
}
