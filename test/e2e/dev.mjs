#!/usr/bin/env node
/**
 * `npm run dev`: the service emulator and the real n8n editor with this package installed, a credential for the
 * emulator and the example workflows, in `.n8n-home-dev/` (kept between runs; the package, the credential and
 * the examples are refreshed on every start). Open the printed link, sign in, press Execute workflow.
 * Ctrl+C stops both.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import { ownerEnv } from './lib/instanceOwner.mjs';
import { N8nUserFolder } from './lib/n8nCli.mjs';
import { startN8nServer } from './lib/n8nServer.mjs';
import { REPO_ROOT, secondsSince } from './lib/process.mjs';
import { ensureRuntime, N8N_BIN } from './lib/runtime.mjs';
import { BATCH_EXAMPLE_FILE, prepareStage } from './lib/stage.mjs';

const PORT = Number(process.env.DEV_N8N_PORT ?? 5678);
const EMULATOR_PORT = Number(process.env.DEV_EMULATOR_PORT ?? 4010);
/** A local-only account for the dev editor; it guards nothing but test data. */
const OWNER = {
	email: 'dev@example.com',
	password: 'Passport-dev-1',
	firstName: 'Dev',
	lastName: 'User',
};

/** Runs `work`; when `announce` is given, says it first and then every 30 s that it is still going. */
async function withHeartbeat(announce, log, work) {
	if (!announce) return await work();
	const started = performance.now();
	log(announce);
	const timer = setInterval(() => log(`still installing (${secondsSince(started)} s)`), 30_000);
	try {
		return await work();
	} finally {
		clearInterval(timer);
		log(`installed in ${secondsSince(started)} s`);
	}
}

async function main() {
	const started = performance.now();
	const log = (line) => console.log(`dev: ${line}`);
	await withHeartbeat(
		existsSync(N8N_BIN)
			? undefined
			: 'first start: installing Node 24 and n8n 2.41 into .n8n-runtime/ (about 1.5 GB; 6 to 11 minutes on a 2-CPU machine, once; later starts take under a minute)',
		log,
		async () => await ensureRuntime({ browser: false, log }),
	);
	const folder = new N8nUserFolder(path.join(REPO_ROOT, '.n8n-home-dev'));
	const stage = await prepareStage({ folder, emulatorPort: EMULATOR_PORT, log });
	log(`starting n8n on port ${PORT}`);
	const server = await startN8nServer(folder, {
		port: PORT,
		logFile: path.join(folder.folder, 'n8n.log'),
		env: ownerEnv(OWNER),
	});
	const batch = stage.workflows.find(({ file }) => file === BATCH_EXAMPLE_FILE).workflow;
	console.log(`
  n8n ${server.url} is ready (${secondsSince(started)} s), with n8n-nodes-passport-ocr installed.
  Sign in as ${OWNER.email} / ${OWNER.password}, then open
    ${server.url}/workflow/${batch.id}
  and press "Execute workflow": Read passport reads two specimen passports from the emulator (the third
  row's link is broken on purpose, to show how a row that cannot be read comes out).
  The credential "${stage.credential.name}" points at the emulator, ${stage.emulator.baseUrl}.
  n8n's log: ${path.relative(REPO_ROOT, path.join(folder.folder, 'n8n.log'))}. Ctrl+C stops n8n and the emulator.
`);
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		log('stopping');
		await server.stop();
		await stage.emulator.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	server.child.on('exit', async (code) => {
		if (stopping) return;
		console.error(`dev: n8n exited with ${code}; see ${path.join(folder.folder, 'n8n.log')}`);
		await stage.emulator.close();
		process.exit(1);
	});
}

try {
	await main();
} catch (error) {
	console.error(`dev: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}
