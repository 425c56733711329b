/** A throwaway Redis on a free loopback port, run in the foreground as a child, saving nothing. */
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { freePort } from '../../e2e/lib/n8nServer.mjs';
import { startBackground } from '../../e2e/lib/process.mjs';
import { REDIS_SERVER } from './debianPackages.mjs';
import { groupAlive, killGroup } from './teardown.mjs';

/** One PING over a raw connection. @returns whether the answer was +PONG */
function ping(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
	});
}

async function waitForPong(port, child, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
		if (await ping(port)) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`redis-server did not answer PING within ${timeoutMs / 1000} s`);
}

/** @returns `{ port, pid }` once Redis answers; its stop is registered with `teardown` */
export async function startRedis({ logFile, teardown, timeoutMs = 20_000 }) {
	const port = await freePort();
	mkdirSync(path.dirname(logFile), { recursive: true });
	const logStream = createWriteStream(logFile);
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
	const server = startBackground(REDIS_SERVER, [...args, '--daemonize', 'no'], {
		cwd: path.dirname(logFile),
		logStream,
	});
	teardown.add('redis-server', {
		stop: async () => {
			await server.stop();
			logStream.end();
		},
		kill: () => killGroup(server.child.pid),
		isGone: () => !groupAlive(server.child.pid),
	});
	await waitForPong(port, server.child, timeoutMs);
	return { port, pid: server.child.pid };
}
