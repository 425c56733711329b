/**
 * The n8n deployments the suite runs the webhook workflow on, each set up as its operators would:
 * the package installed as a community package in every instance's user folder, the credential and
 * workflow imported with the CLI, the workflow published, then the processes started.
 * - queue mode: PostgreSQL, Redis, a main instance and workers, each with its own user folder;
 * - single process (the baseline): one `n8n start` in regular mode on its SQLite database.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { N8nUserFolder } from '../../e2e/lib/n8nCli.mjs';
import { installIntoUserFolder } from '../../e2e/lib/package.mjs';
import { ownerEnv } from '../../e2e/lib/instanceOwner.mjs';
import { OWNER } from './manualRun.mjs';
import { startPostgres } from './postgres.mjs';
import { queueModeEnv, startMain, startWorker } from './queueInstances.mjs';
import { startRedis } from './redis.mjs';

/** The workflow as n8n stored it, credential references resolved. */
async function exportWorkflow(folder, workflowId) {
	const file = path.join(folder.scratch, `export-${workflowId}.json`);
	await folder.cliOrThrow(['export:workflow', `--id=${workflowId}`, `--output=${file}`]);
	const exported = JSON.parse(readFileSync(file, 'utf8'));
	return Array.isArray(exported) ? exported[0] : exported;
}

/** Imports the credential and the workflow through `folder`'s CLI and publishes the workflow. */
async function importAndPublish(folder, credential, workflow, workflowFile) {
	await folder.importCredentials([credential]);
	await folder.importWorkflow(workflow, path.basename(workflowFile));
	const stored = await exportWorkflow(folder, workflow.id);
	await folder.cliOrThrow(['publish:workflow', `--id=${workflow.id}`]);
	return stored;
}

const webhookUrl = (main, stored, webhookNode) =>
	`${main.url}/webhook/${stored.nodes.find((node) => node.name === webhookNode).parameters.path}`;

/**
 * n8n 2.41 activates published workflows after it reports ready, through its publication outbox
 * (polled every few seconds). A GET to a POST-only production webhook starts no execution; once the
 * webhook is registered, the 404 names the method it takes instead of saying "not registered".
 */
async function waitForWebhook(url, timeoutMs = 90_000) {
	const deadline = Date.now() + timeoutMs;
	let said = '';
	while (Date.now() < deadline) {
		try {
			const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
			said = await response.text();
			if (/not registered for GET requests/.test(said)) return;
		} catch (error) {
			said = String(error);
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`${url} was not registered within ${timeoutMs / 1000} s: ${said.slice(0, 200)}`);
}

/**
 * @param options `{ runDir, tarball, credential, workflow, workflowFile, webhookNode, workers,
 *   concurrency, teardown, note(name, detail) }`; `note` records each step as it succeeds
 * @returns `{ mode: 'queue', postgres, redis, main, workers, mainFolder, stored, webhookUrl }`
 */
export async function deployQueueMode(options) {
	const { runDir, tarball, credential, workflow, workflowFile, teardown, note } = options;
	const logs = path.join(runDir, 'logs');
	const postgres = await startPostgres({ folder: path.join(runDir, 'postgres'), teardown });
	const redis = await startRedis({ logFile: path.join(logs, 'redis.log'), teardown });
	note('PostgreSQL and Redis on loopback', `postgres :${postgres.port}, redis :${redis.port}`);
	const env = queueModeEnv(postgres, redis.port);
	const mainFolder = new N8nUserFolder(path.join(runDir, 'main'), env);
	const workerFolders = Array.from(
		{ length: options.workers },
		(_, i) => new N8nUserFolder(path.join(runDir, `worker-${i + 1}`), env),
	);
	const installed = await Promise.all(
		[mainFolder, ...workerFolders].map((folder) => installIntoUserFolder(tarball, folder.folder)),
	);
	note(
		`${path.basename(tarball)} installed as a community package on main and ${options.workers} workers`,
		installed.map((i) => i.version).join(', '),
	);
	const stored = await importAndPublish(mainFolder, credential, workflow, workflowFile);
	note('credential and workflow imported into PostgreSQL, workflow published', workflow.id);
	// An owner, so that the suite can sign in and start a manual execution as the editor does.
	const main = await startMain(mainFolder, {
		env: ownerEnv(OWNER),
		logFile: path.join(logs, 'main.log'),
		teardown,
	});
	const workers = await Promise.all(
		workerFolders.map((folder, i) =>
			startWorker(folder, {
				name: `worker-${i + 1}`,
				concurrency: options.concurrency,
				logFile: path.join(logs, `worker-${i + 1}.log`),
				teardown,
			}),
		),
	);
	note(
		'main and workers ready',
		`main ${main.url}, ${workers.length} workers x ${options.concurrency}`,
	);
	const url = webhookUrl(main, stored, options.webhookNode);
	await waitForWebhook(url);
	note('the production webhook is registered', url);
	return { mode: 'queue', postgres, redis, main, workers, mainFolder, stored, webhookUrl: url };
}

/** @returns `{ mode: 'single', main, workers: [], mainFolder, stored, webhookUrl }` */
export async function deploySingleProcess(options) {
	const { runDir, tarball, credential, workflow, workflowFile, teardown, note } = options;
	const mainFolder = new N8nUserFolder(path.join(runDir, 'single'));
	const { version } = await installIntoUserFolder(tarball, mainFolder.folder);
	note(`${path.basename(tarball)} installed as a community package`, version);
	const stored = await importAndPublish(mainFolder, credential, workflow, workflowFile);
	note('credential and workflow imported into SQLite, workflow published', workflow.id);
	const main = await startMain(mainFolder, {
		logFile: path.join(runDir, 'logs', 'single.log'),
		teardown,
	});
	note('n8n ready (regular mode, one process)', main.url);
	const url = webhookUrl(main, stored, options.webhookNode);
	await waitForWebhook(url);
	note('the production webhook is registered', url);
	return { mode: 'single', main, workers: [], mainFolder, stored, webhookUrl: url };
}
