#!/usr/bin/env node
/**
 * The service emulator as a process of its own: prints one JSON line `{ "baseUrl", "account" }` once it listens,
 * and runs until stopped. Usage: node test/e2e/emulator-server.mjs [--port N] [--compile]
 */
import { compileEmulator, loadEmulator } from './lib/emulator.mjs';

function portArgument() {
	const index = process.argv.indexOf('--port');
	return index === -1 ? 0 : Number(process.argv[index + 1]);
}

if (process.argv.includes('--compile')) await compileEmulator();
const { startEmulator, DEFAULT_ACCOUNT } = loadEmulator();
const emulator = await startEmulator({ port: portArgument() });
console.log(JSON.stringify({ baseUrl: emulator.baseUrl, account: DEFAULT_ACCOUNT }));

async function stop() {
	await emulator.close();
	process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
