/**
 * A ready n8n user folder for the editor: the packed package installed, the emulator running, a credential for
 * it and the example workflows imported (the batch example with its links pointing at the emulator, so that
 * pressing Execute reads passports). Shared by the browser test and `npm run dev`.
 */
import { emulatorCredential } from './credentials.mjs';
import { compileEmulator, loadEmulator } from './emulator.mjs';
import { N8nUserFolder } from './n8nCli.mjs';
import { buildAndPack, installIntoUserFolder, removeTarball } from './package.mjs';
import { batchVariant, loadExamples } from './workflows.mjs';

export const BATCH_EXAMPLE_FILE = 'passport-batch-from-list.json';

/**
 * @param options.folder an N8nUserFolder (default: a new temporary one)
 * @param options.emulatorPort 0 for any free port
 * @param options.log progress lines
 * @returns `{ folder, emulator, account, fixtures, credential, workflows: [{ file, workflow }] }`
 */
export async function prepareStage({ folder, emulatorPort = 0, log = () => {} } = {}) {
	log('compiling the emulator');
	await compileEmulator();
	log('building and packing the package');
	const tarball = await buildAndPack();
	const { startEmulator, DEFAULT_ACCOUNT, FIXTURES } = loadEmulator();
	const emulator = await startEmulator({ port: emulatorPort });
	const userFolder = folder ?? N8nUserFolder.createTemporary();
	try {
		log(`installing ${tarball} into ${userFolder.folder}/.n8n/nodes`);
		await installIntoUserFolder(tarball, userFolder.folder);
		removeTarball(tarball);
		const credential = emulatorCredential(emulator, DEFAULT_ACCOUNT);
		log('importing the credential and the example workflows');
		await userFolder.importCredentials([credential]);
		const workflows = loadExamples().map(({ file, workflow }) => ({
			file,
			workflow:
				file === BATCH_EXAMPLE_FILE
					? batchVariant(workflow, `${emulator.baseUrl}/files/`)
					: workflow,
		}));
		await userFolder.importWorkflows(
			workflows.map(({ workflow }) => workflow),
			'examples',
		);
		return {
			folder: userFolder,
			emulator,
			account: DEFAULT_ACCOUNT,
			fixtures: FIXTURES,
			credential,
			workflows,
		};
	} catch (error) {
		await emulator.close();
		throw error;
	}
}
