/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * The HTTP plumbing under the emulator: reads each request whole, hands it on as a `Call`, and carries out
 * the `Answer`. Closing ends every connection at once, hung ones included, and cuts short pauses and downloads.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import http, {
	type IncomingHttpHeaders,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Answer } from './replies';

/** Lenient on purpose: the gateway's documented 12 MB (APIGW.0201) would hide the 10 MB service rule. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** IAM tokens are several KB; the docs warn that default header limits overflow. */
const MAX_HEADER_BYTES = 64 * 1024;

export interface Call {
	method: string;
	url: URL;
	/** The request target exactly as sent (path and query), which a signature covers. */
	target: string;
	header(name: string): string | undefined;
	/** Every header, names in lower case, as a signature verifier reads them. */
	headers: IncomingHttpHeaders;
	body: Buffer;
	/** The body went past MAX_BODY_BYTES; the rest was read and dropped, so the client still gets an answer. */
	bodyTooLarge: boolean;
	/** 32 hex digits, like the service's X-Request-Id. */
	requestId: string;
	/** When the request's headers arrived, before its body was read (ms since the epoch). */
	arrivedAt: number;
}

export type CallHandler = (call: Call) => Promise<Answer>;

export interface LoopbackServer {
	baseUrl: string;
	/** Aborted when the server closes. */
	signal: AbortSignal;
	/** Waits `ms`, or less if the server closes first. */
	pause(ms: number): Promise<void>;
	close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<{ body: Buffer; bodyTooLarge: boolean }> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= MAX_BODY_BYTES) chunks.push(chunk);
		});
		request.on('end', () =>
			resolve({ body: Buffer.concat(chunks), bodyTooLarge: size > MAX_BODY_BYTES }),
		);
		request.on('error', reject);
	});
}

async function toCall(request: IncomingMessage, baseUrl: string): Promise<Call> {
	const arrivedAt = Date.now();
	const header = (name: string) => {
		const value = request.headers[name.toLowerCase()];
		return Array.isArray(value) ? value[0] : value;
	};
	return {
		method: request.method ?? 'GET',
		url: new URL(request.url ?? '/', baseUrl),
		target: request.url ?? '/',
		header,
		headers: request.headers,
		...(await readBody(request)),
		requestId: randomUUID().replace(/-/g, ''),
		arrivedAt,
	};
}

function send(response: ServerResponse, answer: Answer, requestId: string): void {
	if (answer.type === 'drop') {
		response.socket?.destroy();
		return;
	}
	if (answer.type === 'hang' || response.destroyed) return;
	const { status, headers, body } = answer.reply;
	response.writeHead(status, {
		...headers,
		'Content-Length': String(Buffer.byteLength(body)),
		'X-Request-Id': requestId,
		Server: 'api-gateway',
	});
	response.end(body);
}

/** An emulator bug must not look like a service answer, so it gets a status the service never sends. */
function fail(response: ServerResponse, error: unknown): void {
	if (response.headersSent || response.destroyed) return void response.destroy();
	response.writeHead(599, { 'Content-Type': 'text/plain' });
	response.end(`emulator failure: ${error instanceof Error ? error.stack : String(error)}`);
}

function pauseUntil(signal: AbortSignal, ms: number): Promise<void> {
	return new Promise((resolve) => {
		if (ms <= 0 || signal.aborted) return resolve();
		const done = () => {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		signal.addEventListener('abort', done);
	});
}

export async function listenOnLoopback(port: number, handle: CallHandler): Promise<LoopbackServer> {
	const closing = new AbortController();
	// Every paused or downloading request listens for the close; a busy server has many at once.
	setMaxListeners(Infinity, closing.signal);
	let baseUrl = '';
	const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (request, response) => {
		toCall(request, baseUrl)
			.then(async (call) => send(response, await handle(call), call.requestId))
			.catch((error: unknown) => fail(response, error));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const closed = new Promise<void>((resolve) =>
		closing.signal.addEventListener('abort', () => {
			server.close(() => resolve());
			server.closeAllConnections();
		}),
	);
	return {
		baseUrl,
		signal: closing.signal,
		pause: (ms) => pauseUntil(closing.signal, ms),
		close: () => {
			closing.abort();
			return closed;
		},
	};
}
