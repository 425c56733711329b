#!/usr/bin/env node
/**
 * `npm run scan`: n8n's community package scanner (`@n8n/scan-community-package`, pinned in devDependencies), run
 * offline on what would be published.
 *
 * The scanner's own CLI takes a package name, downloads it from npm, checks its npm provenance, fetches the source
 * the provenance points at from GitHub, and then lints two things with `analyzePackage`: the source
 * (`SOURCE_FILE_PATTERNS`: package.json, nodes/ and credentials/) and the unpacked tarball (its `.js` files and
 * package.json). This script runs those same two `analyzePackage` calls with the scanner's own rule set, on
 * - the tarball `npm pack` makes from a fresh build, unpacked as npm would unpack it, and
 * - the working tree's sources (what the provenance attestation of a tagged release would point at).
 * The provenance check itself can only run on a package published from GitHub Actions; it is not done here.
 *
 * Prints each finding and ends with `scan: N passed, N failed`; exits non-zero on any finding.
 * `--no-build` packs the dist/ that is already there.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCANNER = createRequire(import.meta.url).resolve(
	'@n8n/scan-community-package/scanner/scanner.mjs',
);
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(SCANNER);
/** The scanner's own file finder, so the counts printed are of the files it lints. */
const glob = createRequire(SCANNER)('fast-glob');
/** The tarball leg exactly as `analyzePackageByName` runs it. */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

function sh(command, args, options = {}) {
	const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', ...options });
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${result.stderr}`);
	}
	return result.stdout;
}

function packAndUnpack(work) {
	if (!process.argv.includes('--no-build')) sh('npm', ['run', 'build'], { stdio: 'ignore' });
	const [{ filename, files }] = JSON.parse(
		sh('npm', ['pack', '--json', '--pack-destination', work]),
	);
	const unpacked = path.join(work, 'package');
	mkdirSync(unpacked);
	sh('tar', ['-xzf', path.join(work, filename), '-C', unpacked, '--strip-components=1']);
	return { filename, fileCount: files.length, unpacked };
}

const filesFor = (dir, patterns) =>
	glob.sync(patterns, { cwd: dir, ignore: ['node_modules/**', '**/package-lock.json'] });

async function leg(name, dir, patterns) {
	const files = filesFor(dir, patterns);
	const result = await analyzePackage(dir, patterns);
	const status = result.passed ? 'PASS' : 'FAIL';
	console.log(`  ${status}  ${name}: ${files.length} files linted (${patterns.join(', ')})`);
	if (!result.passed) {
		console.log(`        ${result.message}`);
		if (result.details) console.log(result.details);
	}
	return { passed: result.passed && files.length > 0 };
}

const work = mkdtempSync(path.join(tmpdir(), 'passport-ocr-scan-'));
let passed = 0;
let failed = 0;
try {
	const { filename, fileCount, unpacked } = packAndUnpack(work);
	console.log(
		`scan: @n8n/scan-community-package analyzePackage on ${filename} (${fileCount} files)`,
	);
	for (const [name, dir, patterns] of [
		[`tarball ${filename}`, unpacked, TARBALL_FILE_PATTERNS],
		['source (package.json, nodes/, credentials/)', ROOT, SOURCE_FILE_PATTERNS],
	]) {
		if ((await leg(name, dir, patterns)).passed) passed++;
		else failed++;
	}
	console.log('  SKIP  npm provenance: checked by the scanner only on a package published from CI');
} catch (error) {
	failed++;
	console.log(`  FAIL  scan: ${error instanceof Error ? error.message : String(error)}`);
} finally {
	rmSync(work, { recursive: true, force: true });
}
console.log(`\nscan: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
