/** `n8n start` on a user folder: the editor and REST API on loopback, for the browser test and `npm run dev`. */
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { startBackground } from './process.mjs';
import { N8N_BIN } from './runtime.mjs';

export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

async function waitUntilReady(url, server, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (server.child.exitCode !== null) throw new Error(`n8n exited with ${server.child.exitCode}`);
		try {
			const response = await fetch(`${url}/healthz/readiness`);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`n8n was not ready within ${timeoutMs / 1000} s`);
}

/**
 * Starts n8n for `userFolder` (an N8nUserFolder) on `port`, its log written to `logFile`.
 * @returns `{ url, stop() }` once the editor answers
 */
export async function startN8nServer(userFolder, { port, logFile, env = {}, timeoutMs = 90_000 }) {
	mkdirSync(path.dirname(logFile), { recursive: true });
	const logStream = createWriteStream(logFile);
	const url = `http://127.0.0.1:${port}`;
	const server = startBackground(N8N_BIN, ['start'], {
		env: {
			...userFolder.env,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_EDITOR_BASE_URL: url,
			WEBHOOK_URL: `${url}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			...env,
		},
		logStream,
	});
	try {
		await waitUntilReady(url, server, timeoutMs);
	} catch (error) {
		await server.stop();
		throw new Error(`${error.message}; see ${logFile}`);
	}
	return {
		url,
		child: server.child,
		async stop() {
			await server.stop();
			logStream.end();
		},
	};
}
