/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * A reverse proxy on 127.0.0.1 in front of the emulator (or any upstream) that misbehaves on demand, the way
 * proxies, gateways, troubled networks and echoing services do. Each request is classed by path (IAM sign-in,
 * the passport API, anything else) and handled with that kind's next queued behaviour, else its sticky one.
 * Every request is logged with when the client closed its connection, so tests can assert that a client gave up
 * in time. `close()` ends every connection, timer and upstream request at once. See README.md for the table.
 */
import { randomUUID } from 'node:crypto';
import http, {
	type ClientRequest,
	type IncomingHttpHeaders,
	type IncomingMessage,
	type OutgoingHttpHeaders,
	type ServerResponse,
} from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

import {
	type CannedAnswer,
	gatewayError,
	gzipBomb,
	keystoneError,
	NGINX_502_PAGE,
	oversizedJson,
	oversizedJsonLength,
	type PathKind,
	PORTAL_PAGE,
	serviceError,
} from './hostilePayloads';
import { wrongHostCertificate } from './wrongHostCertificate';

export type { PathKind } from './hostilePayloads';
export { WRONG_HOST } from './wrongHostCertificate';

export type HostileBehaviour =
	| 'pass'
	| 'slow-body'
	| 'slow-headers'
	| 'huge-retry-after'
	| 'echo-request'
	| 'echo-headers-401'
	| 'oversized'
	| 'gzip-bomb'
	| 'drop-mid-body'
	| 'drop-before-answer'
	| 'reject-token'
	| 'status-404-empty'
	| 'status-502-html'
	| 'status-200-html'
	| 'status-200-empty-object'
	| 'status-200-empty'
	| 'status-429'
	| 'status-503';

export const HOSTILE_BEHAVIOURS: readonly HostileBehaviour[] = [
	'pass',
	'slow-body',
	'slow-headers',
	'huge-retry-after',
	'echo-request',
	'echo-headers-401',
	'oversized',
	'gzip-bomb',
	'drop-mid-body',
	'drop-before-answer',
	'reject-token',
	'status-404-empty',
	'status-502-html',
	'status-200-html',
	'status-200-empty-object',
	'status-200-empty',
	'status-429',
	'status-503',
];

export interface HostileOptions {
	/** Base URL of the real service, e.g. the emulator's `baseUrl` (http only). */
	upstream: string;
	/** Serve HTTPS with a self-signed certificate for `wrong.example`; `baseUrl` is then https://localhost:port. */
	tls?: 'self-signed-wrong-host';
	/** slow-body: the pause before each byte of the body. Default 500 ms. */
	trickleMs?: number;
	/** slow-headers: how long nothing is sent before the request goes on upstream. Default Infinity: never. */
	hangMs?: number;
	/** oversized: the body's length in bytes. Default 64 MiB. */
	oversizeBytes?: number;
}

export interface HostileLogEntry {
	kind: PathKind;
	behaviour: HostileBehaviour;
	/** When the request's headers arrived (ms since the epoch). */
	time: number;
	method: string;
	/** The request target as sent, query included. */
	path: string;
	/** The status line sent, once sent (for pass: the upstream's). */
	status?: number;
	/** Body bytes handed to the socket so far. */
	bodyBytesWritten: number;
	/** When the answer's last byte was handed to the socket. */
	answeredAt?: number;
	/** When the proxy destroyed the connection on purpose (drop-*, or the upstream failed mid-answer). */
	droppedAt?: number;
	/** When the client closed the connection before the answer was complete (the socket's 'close'). */
	closedByClientAt?: number;
	/** Why forwarding failed, when it did. */
	upstreamError?: string;
}

export interface HostileUpstream {
	/** http://127.0.0.1:port, or https://localhost:port in TLS mode. */
	readonly baseUrl: string;
	/** TLS mode only: the self-signed certificate (PEM), for a client that trusts it yet must still refuse the name. */
	readonly certificate?: string;
	readonly log: HostileLogEntry[];
	/** Sticky behaviour for a path kind until changed. Both kinds start with 'pass'. */
	set(kind: 'iam' | 'ocr', behaviour: HostileBehaviour): void;
	/** One-shot behaviours used by the next requests of that kind, in order, before the sticky one applies. */
	queue(kind: 'iam' | 'ocr', behaviours: HostileBehaviour[]): void;
	/** Requests (of a kind) still unanswered or mid-answer whose connection is open, e.g. an unaborted slow body. */
	openConnections(kind?: PathKind): number;
	/** Resolves once `openConnections(kind)` is 0; rejects after `timeoutMs` (default 5 s) naming what is open. */
	whenIdle(kind?: PathKind, timeoutMs?: number): Promise<void>;
	/** Ends every open connection, timer and upstream request at once. */
	close(): Promise<void>;
}

/** IAM tokens are several KB and a temporary key's security token about 4 KB; as the emulator allows. */
const MAX_HEADER_BYTES = 64 * 1024;
/** Request bodies kept for echoing and buffered forwarding; the rest is read and dropped. */
const MAX_KEPT_BODY_BYTES = 17 * 1024 * 1024;
const HOP_BY_HOP = new Set([
	'connection',
	'keep-alive',
	'proxy-connection',
	'proxy-authorization',
	'te',
	'trailer',
	'transfer-encoding',
	'upgrade',
]);

export function pathKind(target: string): PathKind {
	const pathname = target.split('?')[0];
	if (pathname === '/v3/auth/tokens') return 'iam';
	if (/^\/v2\/[^/]+\/ocr\/passport$/.test(pathname)) return 'ocr';
	return 'other';
}

/** One request and its answer: what the handlers below read and write. */
class Exchange {
	/** Aborted when the connection closes (client gone, answer done, dropped) or the proxy closes. */
	readonly done = new AbortController();
	readonly requestId = randomUUID().replace(/-/g, '');

	constructor(
		readonly request: IncomingMessage,
		readonly response: ServerResponse,
		readonly entry: HostileLogEntry,
	) {}

	get gone(): boolean {
		return this.done.signal.aborted || this.response.destroyed;
	}

	writeHead(status: number, headers: OutgoingHttpHeaders): void {
		this.entry.status = status;
		this.response.writeHead(status, headers);
	}

	sendWhole(status: number, headers: OutgoingHttpHeaders, body: string | Buffer): void {
		if (this.gone) return;
		const bytes = typeof body === 'string' ? Buffer.from(body) : body;
		const kept = Object.entries(headers).filter(
			([name]) => name.toLowerCase() !== 'content-length',
		);
		this.writeHead(status, { ...Object.fromEntries(kept), 'Content-Length': String(bytes.length) });
		this.entry.bodyBytesWritten += bytes.length;
		this.response.end(bytes);
	}

	sendCanned(answer: CannedAnswer): void {
		this.sendWhole(
			answer.status,
			{ ...answer.headers, 'X-Request-Id': this.requestId },
			answer.body,
		);
	}

	/** Writes a chunk, then waits for the socket to take it (or for the connection to go). */
	write(chunk: Buffer): Promise<void> {
		if (this.gone) return Promise.resolve();
		this.entry.bodyBytesWritten += chunk.length;
		return new Promise((resolve) => {
			const finish = () => {
				this.done.signal.removeEventListener('abort', finish);
				resolve();
			};
			this.done.signal.addEventListener('abort', finish);
			this.response.write(chunk, () => finish());
		});
	}

	async writeAll(chunks: Iterable<Buffer>): Promise<void> {
		for (const chunk of chunks) {
			if (this.gone) return;
			await this.write(chunk);
		}
		if (!this.gone) this.response.end();
	}

	drop(): void {
		if (this.response.destroyed) return;
		this.entry.droppedAt = Date.now();
		(this.response.socket ?? this.request.socket).destroy();
	}

	/** Waits `ms` (Infinity: until the connection goes); resolves early when the connection or the proxy closes. */
	pause(ms: number): Promise<void> {
		const signal = this.done.signal;
		return new Promise((resolve) => {
			if (signal.aborted) return resolve();
			let timer: NodeJS.Timeout | undefined;
			const finish = () => {
				if (timer) clearTimeout(timer);
				signal.removeEventListener('abort', finish);
				resolve();
			};
			if (Number.isFinite(ms)) timer = setTimeout(finish, Math.max(0, ms));
			signal.addEventListener('abort', finish);
		});
	}
}

interface UpstreamAnswer {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

function readRequestBody(request: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let kept = 0;
		let settled = false;
		const settle = () => {
			if (settled) return;
			settled = true;
			resolve(Buffer.concat(chunks));
		};
		request.on('data', (chunk: Buffer) => {
			if (kept + chunk.length > MAX_KEPT_BODY_BYTES) return;
			kept += chunk.length;
			chunks.push(chunk);
		});
		request.once('end', settle);
		request.once('close', settle);
		request.once('error', settle);
	});
}

function withoutHopByHop(
	headers: IncomingHttpHeaders,
	alsoDrop: string[] = [],
): OutgoingHttpHeaders {
	const kept: OutgoingHttpHeaders = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || HOP_BY_HOP.has(name) || alsoDrop.includes(name)) continue;
		kept[name] = value;
	}
	return kept;
}

/** The request as a wire dump: request line, every header as sent, a blank line, the body text. */
function requestDump(request: IncomingMessage, body: Buffer): string {
	const lines = [`${request.method ?? 'GET'} ${request.url ?? '/'} HTTP/${request.httpVersion}`];
	for (let i = 0; i < request.rawHeaders.length; i += 2) {
		lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
	}
	return `${lines.join('\r\n')}\r\n\r\n${body.toString('utf8')}`;
}

/** Every header as `name: value`, joined with `; `, as gateways that echo their input write them. */
function headerList(request: IncomingMessage): string {
	const pairs: string[] = [];
	for (let i = 0; i < request.rawHeaders.length; i += 2) {
		pairs.push(`${request.rawHeaders[i].toLowerCase()}: ${request.rawHeaders[i + 1]}`);
	}
	return pairs.join('; ');
}

class HostileProxy implements HostileUpstream {
	readonly log: HostileLogEntry[] = [];
	baseUrl = '';
	certificate?: string;
	private readonly sticky: Record<'iam' | 'ocr', HostileBehaviour> = { iam: 'pass', ocr: 'pass' };
	private readonly queued: Record<'iam' | 'ocr', HostileBehaviour[]> = { iam: [], ocr: [] };
	private readonly open = new Set<Exchange>();
	private readonly sockets = new Set<Socket>();
	private readonly closing = new AbortController();
	private readonly agent = new http.Agent({ keepAlive: true });
	private readonly upstream: URL;
	private readonly trickleMs: number;
	private readonly hangMs: number;
	private readonly oversizeBytes: number;
	private server?: http.Server;
	private closed?: Promise<void>;

	constructor(private readonly options: HostileOptions) {
		this.upstream = new URL(options.upstream);
		if (this.upstream.protocol !== 'http:') {
			throw new Error(`The hostile upstream forwards to http only, not ${options.upstream}`);
		}
		this.trickleMs = options.trickleMs ?? 500;
		this.hangMs = options.hangMs ?? Infinity;
		this.oversizeBytes = options.oversizeBytes ?? 64 * 1024 * 1024;
	}

	async listen(): Promise<void> {
		const handler = (request: IncomingMessage, response: ServerResponse) =>
			this.onRequest(request, response);
		let server: http.Server;
		if (this.options.tls) {
			const pem = await wrongHostCertificate();
			this.certificate = pem.cert;
			server = https.createServer({ ...pem, maxHeaderSize: MAX_HEADER_BYTES }, handler);
		} else {
			server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, handler);
		}
		server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.once('close', () => this.sockets.delete(socket));
		});
		// A client refusing the certificate ends the handshake; that is the point of the TLS mode, not an error.
		server.on('tlsClientError', () => undefined);
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
		this.server = server;
		const { port } = server.address() as AddressInfo;
		this.baseUrl = this.options.tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`;
	}

	set(kind: 'iam' | 'ocr', behaviour: HostileBehaviour): void {
		this.sticky[kind] = behaviour;
	}

	queue(kind: 'iam' | 'ocr', behaviours: HostileBehaviour[]): void {
		this.queued[kind].push(...behaviours);
	}

	openConnections(kind?: PathKind): number {
		let count = 0;
		for (const exchange of this.open) if (!kind || exchange.entry.kind === kind) count++;
		return count;
	}

	whenIdle(kind?: PathKind, timeoutMs = 5000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		return new Promise((resolve, reject) => {
			const check = () => {
				if (this.openConnections(kind) === 0) return resolve();
				if (Date.now() >= deadline) {
					const open = [...this.open]
						.filter((exchange) => !kind || exchange.entry.kind === kind)
						.map((exchange) => `${exchange.entry.behaviour} ${exchange.entry.path}`);
					return reject(new Error(`Still open after ${timeoutMs} ms: ${open.join(', ')}`));
				}
				setTimeout(check, 10);
			};
			check();
		});
	}

	close(): Promise<void> {
		this.closed ??= new Promise<void>((resolve) => {
			this.closing.abort();
			for (const exchange of this.open) exchange.done.abort();
			const server = this.server;
			const done = () => {
				this.open.clear();
				resolve();
			};
			if (!server) return done();
			server.close(() => done());
			for (const socket of this.sockets) socket.destroy();
			this.agent.destroy();
		});
		return this.closed;
	}

	private next(kind: 'iam' | 'ocr'): HostileBehaviour {
		return this.queued[kind].shift() ?? this.sticky[kind];
	}

	private onRequest(request: IncomingMessage, response: ServerResponse): void {
		const target = request.url ?? '/';
		const kind = pathKind(target);
		const entry: HostileLogEntry = {
			kind,
			behaviour: kind === 'other' ? 'pass' : this.next(kind),
			time: Date.now(),
			method: request.method ?? 'GET',
			path: target,
			bodyBytesWritten: 0,
		};
		this.log.push(entry);
		const exchange = new Exchange(request, response, entry);
		if (this.closing.signal.aborted) return void exchange.drop();
		this.open.add(exchange);
		// Writes to a connection the client just closed must not crash the test run.
		response.on('error', () => undefined);
		response.once('finish', () => {
			entry.answeredAt = Date.now();
		});
		response.once('close', () => {
			const byClient =
				!response.writableFinished && entry.droppedAt === undefined && !this.closing.signal.aborted;
			if (byClient) entry.closedByClientAt = Date.now();
			this.open.delete(exchange);
			exchange.done.abort();
		});
		this.handle(exchange).catch((error: unknown) => {
			// A proxy bug must not look like an upstream answer: 599, a status no service sends.
			if (exchange.gone) return;
			if (response.headersSent) return exchange.drop();
			const text = `hostile upstream failure: ${error instanceof Error ? error.stack : String(error)}`;
			exchange.sendWhole(599, { 'Content-Type': 'text/plain' }, text);
		});
	}

	private async handle(x: Exchange): Promise<void> {
		const { behaviour, kind } = x.entry;
		if (behaviour === 'pass' || (behaviour === 'reject-token' && kind !== 'ocr')) {
			return this.forwardStreaming(x);
		}
		const body = await readRequestBody(x.request);
		if (x.gone) return;
		switch (behaviour) {
			case 'slow-headers':
				await x.pause(this.hangMs);
				if (!x.gone) await this.forwardBuffered(x, body);
				return;
			case 'slow-body':
				return this.slowBody(x, body);
			case 'drop-mid-body':
				return this.dropMidBody(x, body);
			case 'drop-before-answer':
				return x.drop();
			case 'oversized':
				x.writeHead(200, {
					'Content-Type': 'application/json;charset=UTF-8',
					'Content-Length': String(oversizedJsonLength(kind, this.oversizeBytes)),
				});
				return x.writeAll(oversizedJson(kind, this.oversizeBytes));
			case 'gzip-bomb': {
				const bomb = gzipBomb();
				x.writeHead(200, {
					'Content-Type': 'application/json;charset=UTF-8',
					'Content-Encoding': 'gzip',
					'Content-Length': String(bomb.compressedBytes),
				});
				return x.writeAll(bomb.chunks());
			}
			case 'echo-request':
				return x.sendCanned(
					gatewayError(
						400,
						'APIG.0106',
						`Orchestration error. Request: ${requestDump(x.request, body)}`,
						x.requestId,
					),
				);
			case 'echo-headers-401':
				return x.sendCanned(
					gatewayError(
						401,
						'APIG.0301',
						`Incorrect IAM authentication information: verify request fail, request headers: ${headerList(x.request)}`,
						x.requestId,
					),
				);
			case 'huge-retry-after':
				return x.sendCanned(
					gatewayError(
						429,
						'APIG.0308',
						'The throttling threshold has been reached: policy user over ratelimit,limit:1,time:1 hour',
						x.requestId,
						{ 'Retry-After': '3600' },
					),
				);
			case 'reject-token':
				return x.sendCanned(
					gatewayError(
						401,
						'APIG.0301',
						'Incorrect IAM authentication information: decrypt token fail',
						x.requestId,
					),
				);
			default:
				return x.sendCanned(cannedStatus(behaviour, kind, x.requestId));
		}
	}

	// ---- forwarding -------------------------------------------------------------------------------

	private upstreamRequest(x: Exchange, headers: OutgoingHttpHeaders): ClientRequest {
		const base = this.upstream.pathname.replace(/\/$/, '');
		return http.request({
			protocol: 'http:',
			hostname: this.upstream.hostname,
			port: this.upstream.port,
			method: x.request.method,
			path: `${base}${x.request.url ?? '/'}`,
			headers: { ...headers, host: this.upstream.host },
			agent: this.agent,
			signal: x.done.signal,
		});
	}

	/** After the answer started, a failure can only cut it short; before, it is nginx's 502 page. */
	private upstreamFailed(x: Exchange, error: Error): void {
		x.entry.upstreamError ??= error.message;
		if (x.gone) return;
		if (x.response.headersSent) return x.drop();
		x.sendWhole(502, { 'Content-Type': 'text/html', Server: 'nginx' }, NGINX_502_PAGE);
	}

	/** 'pass': the request streams up as it arrives and the answer streams back as it comes. */
	private forwardStreaming(x: Exchange): Promise<void> {
		return new Promise((resolve) => {
			const upstream = this.upstreamRequest(x, withoutHopByHop(x.request.headers));
			upstream.on('error', (error) => {
				this.upstreamFailed(x, error);
				resolve();
			});
			upstream.on('response', (answer) => {
				if (x.gone) {
					answer.destroy();
					return resolve();
				}
				x.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
				answer.on('data', (chunk: Buffer) => {
					x.entry.bodyBytesWritten += chunk.length;
				});
				answer.on('error', (error) => this.upstreamFailed(x, error));
				answer.on('aborted', () => this.upstreamFailed(x, new Error('upstream answer cut short')));
				answer.once('close', () => resolve());
				answer.pipe(x.response);
			});
			x.request.pipe(upstream);
		});
	}

	/** The upstream's whole answer, or undefined after answering the client with the 502 page. */
	private fetchUpstream(x: Exchange, body: Buffer): Promise<UpstreamAnswer | undefined> {
		return new Promise((resolve) => {
			const headers = withoutHopByHop(x.request.headers, ['content-length']);
			headers['content-length'] = String(body.length);
			const upstream = this.upstreamRequest(x, headers);
			upstream.on('error', (error) => {
				this.upstreamFailed(x, error);
				resolve(undefined);
			});
			upstream.on('response', (answer) => {
				const chunks: Buffer[] = [];
				answer.on('data', (chunk: Buffer) => chunks.push(chunk));
				answer.on('end', () =>
					resolve({
						status: answer.statusCode ?? 502,
						headers: answer.headers,
						body: Buffer.concat(chunks),
					}),
				);
			});
			upstream.end(body);
		});
	}

	private answerHeaders(answer: UpstreamAnswer): OutgoingHttpHeaders {
		const headers = withoutHopByHop(answer.headers, ['content-length']);
		headers['content-length'] = String(answer.body.length);
		return headers;
	}

	/** slow-headers, once the wait is over: the upstream's answer, late but whole. */
	private async forwardBuffered(x: Exchange, body: Buffer): Promise<void> {
		const answer = await this.fetchUpstream(x, body);
		if (!answer || x.gone) return;
		x.sendWhole(answer.status, this.answerHeaders(answer), answer.body);
	}

	/**
	 * The upstream's real answer: status and headers (Content-Length included) at once, then the body one byte
	 * every `trickleMs`. A client that waits long enough gets a valid answer; one with a timeout gives up.
	 */
	private async slowBody(x: Exchange, body: Buffer): Promise<void> {
		const answer = await this.fetchUpstream(x, body);
		if (!answer || x.gone) return;
		x.writeHead(answer.status, this.answerHeaders(answer));
		x.response.flushHeaders();
		for (let i = 0; i < answer.body.length && !x.gone; i++) {
			await x.pause(this.trickleMs);
			if (!x.gone) await x.write(answer.body.subarray(i, i + 1));
		}
		if (!x.gone) x.response.end();
	}

	/** The upstream's real status and headers, Content-Length included, half its body, then the socket dies. */
	private async dropMidBody(x: Exchange, body: Buffer): Promise<void> {
		const answer = await this.fetchUpstream(x, body);
		if (!answer || x.gone) return;
		x.writeHead(answer.status, this.answerHeaders(answer));
		await x.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
		x.drop();
	}
}

/** The status-* behaviours, and with a body of the shape the path's service uses. */
function cannedStatus(
	behaviour: HostileBehaviour,
	kind: PathKind,
	requestId: string,
): CannedAnswer {
	const iam = kind === 'iam';
	switch (behaviour) {
		case 'status-404-empty':
			return { status: 404, headers: { Server: 'api-gateway' }, body: '' };
		case 'status-502-html':
			return {
				status: 502,
				headers: { 'Content-Type': 'text/html', Server: 'nginx' },
				body: NGINX_502_PAGE,
			};
		case 'status-200-html':
			return {
				status: 200,
				headers: { 'Content-Type': 'text/html; charset=utf-8' },
				body: PORTAL_PAGE,
			};
		case 'status-200-empty-object':
			return {
				status: 200,
				headers: { 'Content-Type': 'application/json;charset=UTF-8' },
				body: '{}',
			};
		case 'status-200-empty':
			return {
				status: 200,
				headers: { 'Content-Type': 'application/json;charset=UTF-8' },
				body: '',
			};
		case 'status-429':
			return iam
				? keystoneError(429, 'Too Many Requests', 'The request is throttled. Try again later.')
				: gatewayError(
						429,
						'APIG.0308',
						'The throttling threshold has been reached: policy user over ratelimit,limit:20,time:1 minute',
						requestId,
					);
		case 'status-503':
			return iam
				? keystoneError(503, 'Service Unavailable', 'The service is temporarily unavailable.')
				: serviceError(503, 'ModelArts.4403', 'Backend service unavailable error.');
		default:
			throw new Error(`No canned answer for ${behaviour}`);
	}
}

export async function startHostileUpstream(options: HostileOptions): Promise<HostileUpstream> {
	const proxy = new HostileProxy(options);
	await proxy.listen();
	return proxy;
}
