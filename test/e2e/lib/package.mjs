/**
 * The package as users get it: built, packed with `npm pack`, and installed into `~/.n8n/nodes` the way n8n's
 * own community-package installer does it (unpack into node_modules/<name>, drop dev and peer dependencies,
 * `npm install` there with scripts off, record it in nodes/package.json).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { REPO_ROOT, runCapture } from './process.mjs';

const manifest = () => JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

export const PACKAGE_NAME = manifest().name;

/** `npm run build`, then `npm pack` into a temporary folder. @returns the tarball's path */
export async function buildAndPack() {
	await runCapture('npm', ['run', 'build']);
	const destination = mkdtempSync(path.join(tmpdir(), 'passport-ocr-pack-'));
	const { stdout } = await runCapture('npm', ['pack', '--pack-destination', destination, '--json']);
	const [{ filename }] = JSON.parse(stdout);
	return path.join(destination, filename);
}

/** Deletes the temporary folder `buildAndPack` made for the tarball. */
export function removeTarball(tarball) {
	rmSync(path.dirname(tarball), { recursive: true, force: true });
}

/** Installs the tarball into `<userFolder>/.n8n/nodes`, where n8n looks for community packages at start. */
export async function installIntoUserFolder(tarball, userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	// A reused folder (npm run dev) must not keep files an older build had and this one has not.
	rmSync(packageDir, { recursive: true, force: true });
	mkdirSync(packageDir, { recursive: true });
	await runCapture('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	const packageJsonPath = path.join(packageDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...installed } = JSON.parse(
		readFileSync(packageJsonPath, 'utf8'),
	);
	writeFileSync(packageJsonPath, JSON.stringify(installed, null, 2));
	await runCapture(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{ cwd: packageDir },
	);
	const nodesManifest = {
		name: 'installed-nodes',
		private: true,
		dependencies: { [PACKAGE_NAME]: installed.version },
	};
	writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify(nodesManifest, null, 2));
	return { packageDir, version: installed.version };
}
