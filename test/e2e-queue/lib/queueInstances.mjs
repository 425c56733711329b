/**
 * n8n in queue mode: one main instance (editor, REST API, webhooks; it enqueues executions in
 * Redis) and workers (`n8n worker`, which take executions from the queue), each with its own user
 * folder as on separate machines, all on one PostgreSQL database and one Redis. Each process runs
 * in its own process group, registered with the teardown before it is waited for.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';

import { freePort } from '../../e2e/lib/n8nServer.mjs';
import { startBackground } from '../../e2e/lib/process.mjs';
import { N8N_BIN } from '../../e2e/lib/runtime.mjs';
import { groupAlive, killGroup } from './teardown.mjs';

/** Settings all processes of the deployment share (besides the secrets key): database and queue. */
export function queueModeEnv(postgres, redisPort) {
	return {
		...postgres.env,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		// The setting n8n recommends for queue mode (manual runs on workers too); it silences a
		// deprecation.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
}

async function waitUntilReady(url, child, name, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
		try {
			const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`${name} was not ready within ${timeoutMs / 1000} s`);
}

async function startN8nProcess({ name, args, env, logFile, readinessUrl, teardown, timeoutMs }) {
	mkdirSync(path.dirname(logFile), { recursive: true });
	const logStream = createWriteStream(logFile);
	const server = startBackground(N8N_BIN, args, {
		env: {
			...env,
			// n8n 2.x warns that this default will turn to false; the package is an unverified community
			// package.
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '15',
		},
		logStream,
	});
	teardown.add(name, {
		stop: async () => {
			await server.stop();
			logStream.end();
		},
		kill: () => killGroup(server.child.pid),
		isGone: () => !groupAlive(server.child.pid),
	});
	try {
		await waitUntilReady(readinessUrl, server.child, name, timeoutMs);
	} catch (error) {
		throw new Error(`${error.message}; see ${logFile}`);
	}
	return { name, pid: server.child.pid, logFile };
}

/**
 * `n8n start`, in queue mode when `userFolder.env` says so.
 * @returns `{ url, pid, logFile }` once it reports ready
 */
export async function startMain(userFolder, { env = {}, logFile, teardown, timeoutMs = 120_000 }) {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const main = await startN8nProcess({
		name: 'n8n main',
		args: ['start'],
		env: {
			...userFolder.env,
			...env,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_EDITOR_BASE_URL: url,
			N8N_WEBHOOK_URL: `${url}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		},
		logFile,
		readinessUrl: `${url}/healthz/readiness`,
		teardown,
		timeoutMs,
	});
	return { ...main, url };
}

/** `n8n worker --concurrency=N`, its health endpoint on a free loopback port to know when it is ready. */
export async function startWorker(
	userFolder,
	{ name, concurrency, env = {}, logFile, teardown, timeoutMs = 120_000 },
) {
	const healthPort = await freePort();
	return startN8nProcess({
		name,
		args: ['worker', `--concurrency=${concurrency}`],
		env: {
			...userFolder.env,
			...env,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		},
		logFile,
		readinessUrl: `http://127.0.0.1:${healthPort}/healthz/readiness`,
		teardown,
		timeoutMs,
	});
}
