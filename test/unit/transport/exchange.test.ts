/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * `exchange` against real loopback servers, through a small streaming adapter over Node's own http/https client
 * (the request aborted by the attempt's signal, gzip inflated by zlib as axios does), so that timeouts, size
 * limits and cancellation are checked on real sockets.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';

import { headerValue } from '../../../nodes/PassportOcr/transport/answer';
import {
	exchange,
	MAX_ANSWER_BYTES,
	type Exchange,
	type StreamedResponse,
	type StreamingCall,
} from '../../../nodes/PassportOcr/transport/exchange';
import { REDACTED, Redactor } from '../../../nodes/PassportOcr/transport/redaction';
import { wrongHostCertificate } from '../../hostile/wrongHostCertificate';

const SECRET = 'secret-pw-Zq9!';
const redactor = () => new Redactor([SECRET]);
const MB = 1024 * 1024;

// ---- A real server on 127.0.0.1 ----

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

interface Loopback {
	url: string;
	/** Resolves with the time the server saw the first request's connection close. */
	closed: Promise<number>;
	requests: () => number;
}

function deferred<T>() {
	let resolve: (value: T) => void = () => undefined;
	const promise = new Promise<T>((done) => (resolve = done));
	return { promise, resolve };
}

async function withServer(
	handler: Handler,
	run: (server: Loopback) => Promise<void>,
	tls?: { key: string; cert: string },
): Promise<void> {
	const closed = deferred<number>();
	let requests = 0;
	const onRequest: Handler = (request, response) => {
		requests++;
		request.socket.once('close', () => closed.resolve(Date.now()));
		handler(request, response);
	};
	const server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	try {
		await run({
			url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/v2/project/ocr/passport`,
			closed: closed.promise,
			requests: () => requests,
		});
	} finally {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}

/** Waits at most `ms` for `promise`; rejects when it takes longer. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---- The streaming adapter: Node's client, aborted by the signal, gzip inflated like axios ----

interface CallOptions {
	ca?: string;
	body?: string;
	/** Sees the response stream handed to `exchange`. */
	onBody?: (body: Readable) => void;
}

function nodeCall(url: string, options: CallOptions = {}): StreamingCall {
	return async (signal) =>
		await new Promise<StreamedResponse>((resolve, reject) => {
			const client = url.startsWith('https:') ? https : http;
			const request = client.request(
				url,
				{
					method: 'POST',
					agent: false,
					signal,
					headers: { 'Content-Type': 'application/json', 'Accept-Encoding': 'gzip' },
					...(options.ca ? { ca: options.ca } : {}),
				},
				(response) => {
					// Errors after the body was handed over reach whoever reads it; none may go unheard.
					response.on('error', () => undefined);
					const gzipped = /gzip/i.test(String(response.headers['content-encoding'] ?? ''));
					const body: Readable = gzipped
						? pipeline(response, createGunzip(), () => undefined)
						: response;
					options.onBody?.(body);
					resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, body });
				},
			);
			request.on('error', reject);
			request.end(options.body ?? '{}');
		});
}

async function timed(run: Promise<Exchange>): Promise<{ result: Exchange; ms: number }> {
	const start = Date.now();
	const result = await run;
	return { result, ms: Date.now() - start };
}

// ---- Answers ----

describe('exchange: answers', () => {
	it('gives the status, the headers and the text of a normal JSON answer', async () => {
		const answer = { result: { passport_number: 'L898902C3' } };
		await withServer(
			(_, response) => {
				response.writeHead(200, { 'Content-Type': 'application/json', 'X-Request-Id': 'req-7' });
				response.end(JSON.stringify(answer));
			},
			async ({ url }) => {
				const result = await exchange(
					nodeCall(url),
					{ timeoutMs: 5000, maxAnswerBytes: MAX_ANSWER_BYTES },
					redactor(),
				);
				expect(result.kind).toBe('answer');
				if (result.kind !== 'answer') return;
				expect(result.status).toBe(200);
				expect(JSON.parse(result.text)).toEqual(answer);
				expect(headerValue(result.headers, 'X-Request-Id')).toBe('req-7');
				expect(headerValue(result.headers, 'content-type')).toBe('application/json');
			},
		);
	});

	it('resolves every status as an answer, and reads an error body', async () => {
		await withServer(
			(_, response) => {
				response.writeHead(404, { 'Content-Type': 'application/json' });
				response.end('{"error_code":"APIG.0101","error_msg":"The API does not exist"}');
			},
			async ({ url }) => {
				const result = await exchange(
					nodeCall(url),
					{ timeoutMs: 5000, maxAnswerBytes: MAX_ANSWER_BYTES },
					redactor(),
				);
				expect(result).toMatchObject({
					kind: 'answer',
					status: 404,
					text: '{"error_code":"APIG.0101","error_msg":"The API does not exist"}',
				});
			},
		);
	});

	it('redacts the answer text: a secret echoed by the server is hidden', async () => {
		await withServer(
			(request, response) => {
				let sent = '';
				request.setEncoding('utf8');
				request.on('data', (chunk: string) => (sent += chunk));
				request.on('end', () => {
					response.writeHead(400, { 'Content-Type': 'application/json' });
					response.end(
						JSON.stringify({
							error_code: 'IAM.0001',
							error_msg: `bad request ${sent} with X-Auth-Token: MIIunknown`,
						}),
					);
				});
			},
			async ({ url }) => {
				const body = JSON.stringify({ auth: { password: SECRET } });
				const result = await exchange(
					nodeCall(url, { body }),
					{ timeoutMs: 5000, maxAnswerBytes: MAX_ANSWER_BYTES },
					redactor(),
				);
				expect(result.kind).toBe('answer');
				if (result.kind !== 'answer') return;
				expect(result.text).toContain(REDACTED);
				expect(result.text).not.toContain(SECRET);
				expect(result.text).not.toContain('MIIunknown');
				expect(result.text).toContain('bad request');
			},
		);
	});

	it('reads an answer of exactly maxAnswerBytes', async () => {
		const limit = 64 * 1024;
		await withServer(
			(_, response) => {
				response.writeHead(200, { 'Transfer-Encoding': 'chunked' });
				response.write(Buffer.alloc(limit / 2, 'a'));
				response.end(Buffer.alloc(limit / 2, 'b'));
			},
			async ({ url }) => {
				const result = await exchange(
					nodeCall(url),
					{ timeoutMs: 5000, maxAnswerBytes: limit },
					redactor(),
				);
				expect(result.kind).toBe('answer');
				if (result.kind === 'answer') expect(result.text.length).toBe(limit);
			},
		);
	});
});

// ---- Size ----

describe('exchange: answers larger than the limit', () => {
	it('stops at a Content-Length over the limit without reading the body', async () => {
		let body: Readable | undefined;
		await withServer(
			(_, response) => {
				response.writeHead(200, { 'Content-Length': String(10 * MB) });
				// A little of it, then nothing: reading would wait for the rest until the timeout.
				response.write(Buffer.alloc(1024));
			},
			async ({ url, closed }) => {
				const { result, ms } = await timed(
					exchange(
						nodeCall(url, { onBody: (stream) => (body = stream) }),
						{ timeoutMs: 5000, maxAnswerBytes: MB },
						redactor(),
					),
				);
				expect(result).toEqual({ kind: 'oversize', status: 200, limitBytes: MB });
				expect(ms).toBeLessThan(2000);
				expect(body?.destroyed).toBe(true);
				await within(closed, 2000, 'the server seeing the connection close');
			},
		);
	});

	it('stops reading a chunked body at the limit and closes the connection', async () => {
		let written = 0;
		await withServer(
			(_, response) => {
				response.writeHead(200, { 'Content-Type': 'application/json' });
				const chunk = Buffer.alloc(64 * 1024, 'x');
				const pump = () => {
					while (!response.destroyed && !response.writableEnded) {
						written += chunk.length;
						if (!response.write(chunk)) return void response.once('drain', pump);
					}
				};
				pump();
			},
			async ({ url, closed }) => {
				const { result, ms } = await timed(
					exchange(nodeCall(url), { timeoutMs: 10_000, maxAnswerBytes: MB }, redactor()),
				);
				const done = Date.now();
				expect(result).toEqual({ kind: 'oversize', status: 200, limitBytes: MB });
				expect(ms).toBeLessThan(5000);
				const closedAt = await within(closed, 2000, 'the server seeing the connection close');
				expect(closedAt - done).toBeLessThan(2000);
				expect(written).toBeGreaterThan(MB);
			},
		);
	});

	describe('a gzip answer that inflates to 200 MB', () => {
		let bomb: Buffer;

		beforeAll(async () => {
			// 200 MB of zeros, compressed as a stream so that the test never holds them.
			const gzip = createGzip({ level: 9 });
			const chunks: Buffer[] = [];
			gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
			const ended = new Promise<void>((resolve, reject) => {
				gzip.on('end', resolve);
				gzip.on('error', reject);
			});
			const zeros = Buffer.alloc(MB);
			for (let i = 0; i < 200; i++) {
				if (!gzip.write(zeros)) await new Promise<void>((resolve) => gzip.once('drain', resolve));
			}
			gzip.end();
			await ended;
			bomb = Buffer.concat(chunks);
		});

		it('is cut off at the limit after inflating, quickly and without growing memory by the inflated size', async () => {
			expect(bomb.length).toBeLessThan(MB);
			let body: Readable | undefined;
			await withServer(
				(_, response) => {
					response.writeHead(200, {
						'Content-Type': 'application/json',
						'Content-Encoding': 'gzip',
						// Small and honest: the compressed size says nothing about the inflated one.
						'Content-Length': String(bomb.length),
					});
					response.end(bomb);
				},
				async ({ url, closed }) => {
					const before = process.memoryUsage();
					const { result, ms } = await timed(
						exchange(
							nodeCall(url, { onBody: (stream) => (body = stream) }),
							{ timeoutMs: 20_000, maxAnswerBytes: MAX_ANSWER_BYTES },
							redactor(),
						),
					);
					const after = process.memoryUsage();
					expect(result).toEqual({ kind: 'oversize', status: 200, limitBytes: MAX_ANSWER_BYTES });
					expect(ms).toBeLessThan(3000);
					expect(after.rss - before.rss).toBeLessThan(64 * MB);
					expect(after.heapUsed - before.heapUsed).toBeLessThan(64 * MB);
					expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 * MB);
					expect(body?.destroyed).toBe(true);
					await within(closed, 2000, 'the server seeing the connection close');
				},
			);
		});
	});

	it('cuts off bodies that helpers deliver already read', async () => {
		const limits = { timeoutMs: 1000, maxAnswerBytes: 10 };
		const answerWith =
			(body: unknown): StreamingCall =>
			async () => ({
				statusCode: 200,
				headers: {},
				body,
			});
		expect(await exchange(answerWith('x'.repeat(11)), limits, redactor())).toEqual({
			kind: 'oversize',
			status: 200,
			limitBytes: 10,
		});
		expect(await exchange(answerWith(Buffer.alloc(11)), limits, redactor())).toMatchObject({
			kind: 'oversize',
		});
		expect(await exchange(answerWith('0123456789'), limits, redactor())).toMatchObject({
			kind: 'answer',
			text: '0123456789',
		});
		expect(await exchange(answerWith({ a: 1 }), limits, redactor())).toMatchObject({
			kind: 'answer',
			text: '{"a":1}',
		});
		expect(await exchange(answerWith(undefined), limits, redactor())).toMatchObject({
			kind: 'answer',
			text: '',
		});
	});
});

// ---- Time and cancellation ----

describe('exchange: time and cancellation', () => {
	it('times out a body that trickles in, and closes the connection', async () => {
		await withServer(
			(_, response) => {
				response.writeHead(200, { 'Content-Type': 'application/json' });
				response.flushHeaders();
				const timer = setInterval(() => response.write('{'), 200);
				response.on('close', () => clearInterval(timer));
			},
			async ({ url, closed }) => {
				const { result, ms } = await timed(
					exchange(nodeCall(url), { timeoutMs: 500, maxAnswerBytes: MB }, redactor()),
				);
				expect(result).toEqual({ kind: 'timeout', timeoutMs: 500 });
				expect(ms).toBeGreaterThanOrEqual(450);
				expect(ms).toBeLessThan(1500);
				await within(closed, 2000, 'the server seeing the connection close');
			},
		);
	});

	it('times out when no answer comes at all, and closes the connection', async () => {
		await withServer(
			() => undefined,
			async ({ url, closed, requests }) => {
				const { result, ms } = await timed(
					exchange(nodeCall(url), { timeoutMs: 300, maxAnswerBytes: MB }, redactor()),
				);
				expect(result).toEqual({ kind: 'timeout', timeoutMs: 300 });
				expect(ms).toBeLessThan(1500);
				expect(requests()).toBe(1);
				await within(closed, 2000, 'the server seeing the connection close');
			},
		);
	});

	it('is cancelled when the run signal aborts mid-body', async () => {
		await withServer(
			(_, response) => {
				response.writeHead(200, { 'Content-Type': 'application/json' });
				response.write('{"result":');
			},
			async ({ url, closed }) => {
				const run = new AbortController();
				const stop = setTimeout(() => run.abort(), 150);
				try {
					const { result, ms } = await timed(
						exchange(
							nodeCall(url),
							{ timeoutMs: 10_000, maxAnswerBytes: MB },
							redactor(),
							run.signal,
						),
					);
					expect(result).toEqual({ kind: 'cancelled' });
					expect(ms).toBeLessThan(2000);
				} finally {
					clearTimeout(stop);
				}
				await within(closed, 2000, 'the server seeing the connection close');
			},
		);
	});

	it('is cancelled at once when the run signal has already aborted', async () => {
		const run = new AbortController();
		run.abort();
		let called = 0;
		const call: StreamingCall = async (signal) => {
			called++;
			expect(signal.aborted).toBe(true);
			return await new Promise<StreamedResponse>(() => undefined);
		};
		const { result, ms } = await timed(
			exchange(call, { timeoutMs: 10_000, maxAnswerBytes: MB }, redactor(), run.signal),
		);
		expect(result).toEqual({ kind: 'cancelled' });
		expect(ms).toBeLessThan(500);
		expect(called).toBeLessThanOrEqual(1);
	});

	it('lets go of a response that arrives after the timeout', async () => {
		const late = new PassThrough();
		const call: StreamingCall = async () => {
			await sleep(150);
			return { statusCode: 200, headers: {}, body: late };
		};
		const result = await exchange(call, { timeoutMs: 50, maxAnswerBytes: MB }, redactor());
		expect(result).toEqual({ kind: 'timeout', timeoutMs: 50 });
		await sleep(250);
		expect(late.destroyed).toBe(true);
	});
});

// ---- Network, TLS and errors before sending ----

describe('exchange: failed calls', () => {
	it('reads a refused connection as network ECONNREFUSED', async () => {
		const server = http.createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		await new Promise<void>((resolve) => server.close(() => resolve()));
		const result = await exchange(
			nodeCall(`http://127.0.0.1:${port}/`),
			{ timeoutMs: 5000, maxAnswerBytes: MB },
			redactor(),
		);
		expect(result).toEqual({ kind: 'network', code: 'ECONNREFUSED' });
	});

	it('reads a connection the server destroys mid-body as a network failure', async () => {
		await withServer(
			(request, response) => {
				response.writeHead(200, { 'Content-Type': 'application/json' });
				response.write('{"result": {"passport_number": "L89');
				setTimeout(() => request.socket.destroy(), 50);
			},
			async ({ url }) => {
				const { result, ms } = await timed(
					exchange(nodeCall(url), { timeoutMs: 5000, maxAnswerBytes: MB }, redactor()),
				);
				expect(result).toEqual({ kind: 'network', code: 'ECONNRESET' });
				expect(ms).toBeLessThan(2000);
			},
		);
	});

	it('reads a connection closed before any answer as a network failure', async () => {
		await withServer(
			(request) => request.socket.destroy(),
			async ({ url }) => {
				const result = await exchange(
					nodeCall(url),
					{ timeoutMs: 5000, maxAnswerBytes: MB },
					redactor(),
				);
				expect(result).toEqual({ kind: 'network', code: 'ECONNRESET' });
			},
		);
	});

	it('reads a self-signed certificate as tls', async () => {
		const pem = await wrongHostCertificate();
		await withServer(
			(_, response) => response.end('{}'),
			async ({ url }) => {
				const result = await exchange(
					nodeCall(url),
					{ timeoutMs: 5000, maxAnswerBytes: MB },
					redactor(),
				);
				expect(result.kind).toBe('tls');
				if (result.kind === 'tls') expect(result.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
			},
			pem,
		);
	});

	it('reads a trusted certificate for another host name as tls', async () => {
		const pem = await wrongHostCertificate();
		await withServer(
			(_, response) => response.end('{}'),
			async ({ url }) => {
				const result = await exchange(
					nodeCall(url, { ca: pem.cert }),
					{ timeoutMs: 5000, maxAnswerBytes: MB },
					redactor(),
				);
				expect(result).toEqual({ kind: 'tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
			},
			pem,
		);
	});

	it('reads a sign-in failure inside the error chain, with the password redacted', async () => {
		const call: StreamingCall = async () => {
			throw Object.assign(new Error('Request failed'), {
				code: 'ECONNRESET',
				cause: {
					name: 'IamSignInError',
					problem: 'credentials',
					message: `Sign-in failed for alice with password ${SECRET}: wrong password`,
					httpStatus: 401,
				},
			});
		};
		const result = await exchange(call, { timeoutMs: 5000, maxAnswerBytes: MB }, redactor());
		expect(result).toEqual({
			kind: 'sign-in',
			problem: 'credentials',
			message: `Sign-in failed for alice with password ${REDACTED}: wrong password`,
			httpStatus: 401,
		});
		expect(JSON.stringify(result)).not.toContain(SECRET);
	});

	it("reads n8n 1.x's NodeApiError, which drops the sign-in error but keeps its code, as the sign-in failure", async () => {
		const call: StreamingCall = async () => {
			throw Object.assign(new Error(`Sign-in failed: wrong password ${SECRET}`), {
				name: 'NodeApiError',
				httpCode: 'IAM.CREDENTIALS',
			});
		};
		expect(await exchange(call, { timeoutMs: 5000, maxAnswerBytes: MB }, redactor())).toEqual({
			kind: 'sign-in',
			problem: 'credentials',
			message: `Sign-in failed: wrong password ${REDACTED}`,
		});
	});

	it('reads a network code anywhere in the chain', async () => {
		const call: StreamingCall = async () => {
			throw new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ENOTFOUND' }) });
		};
		expect(await exchange(call, { timeoutMs: 5000, maxAnswerBytes: MB }, redactor())).toEqual({
			kind: 'network',
			code: 'ENOTFOUND',
		});
	});

	it('reads an error without a code as not-sent, the innermost reason redacted', async () => {
		const call: StreamingCall = async () => {
			throw new Error('wrapper', {
				cause: new Error(`Could not build the request with password ${SECRET}`),
			});
		};
		const result = await exchange(call, { timeoutMs: 5000, maxAnswerBytes: MB }, redactor());
		expect(result).toEqual({
			kind: 'not-sent',
			reason: `Could not build the request with password ${REDACTED}`,
		});
	});

	it.each(['ERR_INVALID_URL', 'ERR_INVALID_CHAR', 'ERR_FR_TOO_MANY_REDIRECTS'])(
		'reads the client-side code %s as not-sent, not as a network failure',
		async (code) => {
			const call: StreamingCall = async () => {
				throw Object.assign(new TypeError(`Refused with password ${SECRET}`), { code });
			};
			const result = await exchange(call, { timeoutMs: 5000, maxAnswerBytes: MB }, redactor());
			expect(result).toEqual({ kind: 'not-sent', reason: `Refused with password ${REDACTED}` });
		},
	);

	it('gives a reason even when the error has none', async () => {
		const rejectWith =
			(error: unknown): StreamingCall =>
			async () => {
				throw error;
			};
		const limits = { timeoutMs: 5000, maxAnswerBytes: MB };
		expect(await exchange(rejectWith('just text'), limits, redactor())).toEqual({
			kind: 'not-sent',
			reason: 'no reason was given',
		});
		expect(
			await exchange(
				rejectWith(Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' })),
				limits,
				redactor(),
			),
		).toEqual({ kind: 'not-sent', reason: 'canceled' });
	});
});
