/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * The hostile upstream against the real emulator: each behaviour is checked with a real request over loopback
 * (Node's http/https, no decompression, no keep-alive; fetch for the pass-through sign-in and OCR call).
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { constants, gunzipSync } from 'node:zlib';

import { DEFAULT_ACCOUNT, type Emulator, FIXTURES, startEmulator } from '../../emulator';
import {
	type HostileBehaviour,
	type HostileOptions,
	type HostileUpstream,
	startHostileUpstream,
	WRONG_HOST,
} from '../../hostile/hostileUpstream';

const PROJECT_ID = DEFAULT_ACCOUNT.projects[0].id;
const OCR_PATH = `/v2/${PROJECT_ID}/ocr/passport`;
const IAM_PATH = '/v3/auth/tokens';
const utopia = FIXTURES.find((fixture) => fixture.name === 'utopia-eriksson')!;
const utopiaBody = JSON.stringify({ image: utopia.bytes.toString('base64') });

function loginBody(password = DEFAULT_ACCOUNT.password): string {
	return JSON.stringify({
		auth: {
			identity: {
				methods: ['password'],
				password: {
					user: {
						name: DEFAULT_ACCOUNT.user,
						password,
						domain: { name: DEFAULT_ACCOUNT.domain },
					},
				},
			},
			scope: { project: { name: DEFAULT_ACCOUNT.projects[0].region } },
		},
	});
}

async function withProxy(
	options: Partial<HostileOptions>,
	run: (proxy: HostileUpstream, emulator: Emulator) => Promise<void>,
): Promise<void> {
	const emulator = await startEmulator({ latencyMs: 0 });
	let proxy: HostileUpstream | undefined;
	try {
		proxy = await startHostileUpstream({ upstream: emulator.baseUrl, ...options });
		await run(proxy, emulator);
	} finally {
		await proxy?.close();
		await emulator.close();
	}
}

interface RawAnswer {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
	/** The whole body arrived (as many bytes as announced, then a clean end). */
	complete: boolean;
	/** ms from sending to the status line. */
	headersAfterMs: number;
}

interface RawOptions {
	method?: string;
	headers?: Record<string, string>;
	body?: string;
	/** The client gives up (destroys its socket) after this long; default 5 s. */
	timeoutMs?: number;
	ca?: string;
	rejectUnauthorized?: boolean;
}

/** One request on its own connection; rejects on a network error before the status line, or at the timeout. */
function rawRequest(url: string, options: RawOptions = {}): Promise<RawAnswer> {
	const started = Date.now();
	const target = new URL(url);
	const transport = target.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const request = transport.request(target, {
			method: options.method ?? 'POST',
			headers: {
				'Content-Type': 'application/json;charset=UTF-8',
				...options.headers,
			},
			agent: false,
			...(options.ca ? { ca: options.ca } : {}),
			...(options.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
		});
		const timer = setTimeout(
			() => request.destroy(new Error(`client timeout after ${options.timeoutMs ?? 5000} ms`)),
			options.timeoutMs ?? 5000,
		);
		request.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		request.on('response', (response) => {
			const headersAfterMs = Date.now() - started;
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('error', () => undefined);
			response.on('close', () => {
				clearTimeout(timer);
				resolve({
					status: response.statusCode ?? 0,
					headers: response.headers,
					body: Buffer.concat(chunks),
					complete: response.complete,
					headersAfterMs,
				});
			});
		});
		request.end(options.body);
	});
}

async function signIn(baseUrl: string, options: RawOptions = {}): Promise<string> {
	const answer = await rawRequest(`${baseUrl}${IAM_PATH}`, { body: loginBody(), ...options });
	const token = answer.headers['x-subject-token'];
	if (answer.status !== 201 || typeof token !== 'string') {
		throw new Error(`sign-in failed: ${answer.status} ${answer.body.toString()}`);
	}
	return token;
}

const json = (answer: RawAnswer): Record<string, unknown> =>
	JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;

const lastEntry = (proxy: HostileUpstream, kind: 'iam' | 'ocr') =>
	[...proxy.log].reverse().find((entry) => entry.kind === kind)!;

/** The text as it appears inside a JSON string: quotes, backslashes and control characters escaped. */
const jsonEscaped = (text: string): string => JSON.stringify(text).slice(1, -1);

describe('pass', () => {
	it('forwards a full IAM sign-in and OCR call, and the emulator answers as it would directly', async () => {
		await withProxy({}, async (proxy, emulator) => {
			const login = await fetch(`${proxy.baseUrl}${IAM_PATH}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json;charset=UTF-8' },
				body: loginBody(),
				signal: AbortSignal.timeout(5000),
			});
			expect(login.status).toBe(201);
			const token = login.headers.get('x-subject-token')!;
			expect(token.length).toBeGreaterThan(4000);
			await login.arrayBuffer();
			const ocr = await fetch(`${proxy.baseUrl}${OCR_PATH}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json;charset=UTF-8', 'X-Auth-Token': token },
				body: utopiaBody,
				signal: AbortSignal.timeout(5000),
			});
			expect(ocr.status).toBe(200);
			expect(ocr.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
			expect(await ocr.json()).toEqual({ result: utopia.result });
			expect(emulator.logins()).toBe(1);
			expect(emulator.ocrCalls()).toBe(1);
			expect(proxy.log.map(({ kind, behaviour, status }) => ({ kind, behaviour, status }))).toEqual(
				[
					{ kind: 'iam', behaviour: 'pass', status: 201 },
					{ kind: 'ocr', behaviour: 'pass', status: 200 },
				],
			);
			expect(proxy.log[1].answeredAt).toBeDefined();
			expect(proxy.log[1].closedByClientAt).toBeUndefined();
		});
	});

	it('always forwards other paths, whatever the sticky behaviours', async () => {
		await withProxy({}, async (proxy) => {
			proxy.set('iam', 'drop-before-answer');
			proxy.set('ocr', 'status-503');
			const file = await rawRequest(`${proxy.baseUrl}/files/${utopia.file}`, { method: 'GET' });
			expect(file.status).toBe(200);
			expect(file.headers['content-type']).toBe(utopia.mimeType);
			expect(file.body.equals(utopia.bytes)).toBe(true);
			expect(proxy.log[0]).toMatchObject({ kind: 'other', behaviour: 'pass', status: 200 });
		});
	});

	it('answers nginx’s 502 page when the upstream is down', async () => {
		await withProxy({}, async (proxy, emulator) => {
			await emulator.close();
			const answer = await rawRequest(`${proxy.baseUrl}${IAM_PATH}`, { body: loginBody() });
			expect(answer.status).toBe(502);
			expect(answer.body.toString()).toContain('502 Bad Gateway');
			expect(proxy.log[0].upstreamError).toMatch(/ECONNREFUSED/);
		});
	});
});

describe('choosing behaviours', () => {
	it('uses queued one-shot behaviours first, in order, then the sticky one', async () => {
		await withProxy({}, async (proxy) => {
			proxy.set('ocr', 'status-503');
			proxy.queue('ocr', ['status-429', 'status-404-empty']);
			const statuses: number[] = [];
			for (let i = 0; i < 4; i++) {
				statuses.push((await rawRequest(`${proxy.baseUrl}${OCR_PATH}`, { body: '{}' })).status);
			}
			expect(statuses).toEqual([429, 404, 503, 503]);
			proxy.set('ocr', 'pass');
			// Through to the emulator: no token.
			const passed = await rawRequest(`${proxy.baseUrl}${OCR_PATH}`, { body: '{}' });
			expect(json(passed)).toMatchObject({ error_code: 'ModelArts.4101' });
			expect(proxy.log.map((entry) => entry.behaviour)).toEqual([
				'status-429',
				'status-404-empty',
				'status-503',
				'status-503',
				'pass',
			]);
		});
	});
});

describe('slow-body', () => {
	it('sends status and headers at once, trickles the body a byte at a time, and sees the client give up', async () => {
		await withProxy({ trickleMs: 40 }, async (proxy) => {
			const token = await signIn(proxy.baseUrl);
			proxy.set('ocr', 'slow-body');
			const arrivals: Array<{ at: number; bytes: number }> = [];
			let abortedAt = 0;
			const outcome = await new Promise<{ status: number; contentLength: number }>(
				(resolve, reject) => {
					const request = http.request(`${proxy.baseUrl}${OCR_PATH}`, {
						method: 'POST',
						agent: false,
						headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
					});
					const timer = setTimeout(() => request.destroy(new Error('no 4 bytes in 3 s')), 3000);
					request.on('error', (error) => {
						clearTimeout(timer);
						if (abortedAt) return;
						reject(error);
					});
					request.on('response', (response) => {
						const headersAt = Date.now();
						arrivals.push({ at: headersAt, bytes: 0 });
						response.on('error', () => undefined);
						response.on('data', (chunk: Buffer) => {
							arrivals.push({ at: Date.now(), bytes: chunk.length });
							if (arrivals.length < 5) return;
							clearTimeout(timer);
							abortedAt = Date.now();
							request.destroy();
							resolve({
								status: response.statusCode!,
								contentLength: Number(response.headers['content-length']),
							});
						});
					});
					request.end(utopiaBody);
				},
			);
			expect(outcome.status).toBe(200);
			// The Content-Length of the emulator's real answer: the recorded result.
			expect(outcome.contentLength).toBe(
				Buffer.byteLength(JSON.stringify({ result: utopia.result })),
			);
			expect(arrivals.slice(1).map((arrival) => arrival.bytes)).toEqual([1, 1, 1, 1]);
			expect(arrivals[4].at - arrivals[0].at).toBeGreaterThanOrEqual(4 * 40 - 20);
			await proxy.whenIdle('ocr', 2000);
			const entry = lastEntry(proxy, 'ocr');
			expect(entry).toMatchObject({ behaviour: 'slow-body', status: 200 });
			expect(entry.closedByClientAt).toBeGreaterThanOrEqual(abortedAt);
			expect(entry.closedByClientAt! - abortedAt).toBeLessThan(1000);
			expect(entry.answeredAt).toBeUndefined();
			expect(entry.bodyBytesWritten).toBeLessThan(outcome.contentLength);
		});
	});

	it('ends with the whole, valid upstream answer for a client that waits long enough', async () => {
		await withProxy({ trickleMs: 2 }, async (proxy) => {
			proxy.set('ocr', 'slow-body');
			const answer = await rawRequest(`${proxy.baseUrl}${OCR_PATH}`, { body: utopiaBody });
			expect(answer.complete).toBe(true);
			expect(answer.status).toBe(401);
			expect(json(answer)).toEqual({
				error_code: 'ModelArts.4101',
				error_msg: 'Token header cannot be empty.',
			});
			expect(lastEntry(proxy, 'ocr').answeredAt).toBeDefined();
		});
	});
});

describe('slow-headers', () => {
	it('reads the request and sends nothing; the client’s timeout closes the connection', async () => {
		await withProxy({}, async (proxy, emulator) => {
			proxy.set('iam', 'slow-headers');
			const started = Date.now();
			await expect(
				rawRequest(`${proxy.baseUrl}${IAM_PATH}`, { body: loginBody(), timeoutMs: 300 }),
			).rejects.toThrow('client timeout after 300 ms');
			expect(proxy.openConnections('iam')).toBeLessThanOrEqual(1);
			await proxy.whenIdle('iam', 2000);
			const entry = lastEntry(proxy, 'iam');
			expect(entry.status).toBeUndefined();
			expect(entry.closedByClientAt! - started).toBeGreaterThanOrEqual(290);
			expect(emulator.logins()).toBe(0);
		});
	});

	it('after hangMs, forwards the request and answers late', async () => {
		await withProxy({ hangMs: 300 }, async (proxy, emulator) => {
			proxy.set('iam', 'slow-headers');
			const answer = await rawRequest(`${proxy.baseUrl}${IAM_PATH}`, { body: loginBody() });
			expect(answer.status).toBe(201);
			expect(answer.headersAfterMs).toBeGreaterThanOrEqual(290);
			expect(answer.headers['x-subject-token']).toMatch(/^MII/);
			expect(emulator.logins()).toBe(1);
		});
	});
});

describe('huge-retry-after', () => {
	it.each(['iam', 'ocr'] as const)('%s: 429 APIG.0308 with Retry-After: 3600', async (kind) => {
		await withProxy({}, async (proxy) => {
			proxy.set(kind, 'huge-retry-after');
			const path = kind === 'iam' ? IAM_PATH : OCR_PATH;
			const answer = await rawRequest(`${proxy.baseUrl}${path}`, { body: '{}' });
			expect(answer.status).toBe(429);
			expect(answer.headers['retry-after']).toBe('3600');
			expect(json(answer)).toMatchObject({
				error_code: 'APIG.0308',
				error_msg: expect.stringContaining('The throttling threshold has been reached'),
				request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
			});
		});
	});
});

describe('echo-request', () => {
	it('IAM: the password in the body comes back in error_msg, JSON-escaped', async () => {
		await withProxy({}, async (proxy) => {
			proxy.set('iam', 'echo-request');
			const password = 'p@ss "quoted" \\ back\\slash';
			const body = loginBody(password);
			const answer = await rawRequest(`${proxy.baseUrl}${IAM_PATH}?nocatalog=true`, { body });
			expect(answer.status).toBe(400);
			const text = answer.body.toString('utf8');
			// The body text, itself JSON, is escaped again inside the string.
			expect(text).toContain(jsonEscaped(body));
			const message = json(answer).error_msg as string;
			expect(json(answer).error_code).toBe('APIG.0106');
			expect(message).toContain(`POST ${IAM_PATH}?nocatalog=true HTTP/1.1`);
			expect(message).toContain(body);
			expect(message).toContain(JSON.stringify(password));
		});
	});

	it('OCR: X-Auth-Token, Authorization and X-Security-Token come back whole', async () => {
		await withProxy({}, async (proxy) => {
			proxy.set('ocr', 'echo-request');
			const secrets = {
				'X-Auth-Token': 'MIIsecret-token-value"with-quote',
				Authorization: 'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=abc123',
				'X-Security-Token': 'gQ5security\\token',
			};
			const answer = await rawRequest(`${proxy.baseUrl}${OCR_PATH}`, {
				headers: secrets,
				body: '{"image":"aGVsbG8="}',
			});
			expect(answer.status).toBe(400);
			const text = answer.body.toString('utf8');
			const message = json(answer).error_msg as string;
			for (const [name, value] of Object.entries(secrets)) {
				expect(text).toContain(jsonEscaped(`${name}: ${value}`));
				expect(message).toContain(`${name}: ${value}`);
			}
			expect(message).toContain('{"image":"aGVsbG8="}');
		});
	});
});

describe('echo-headers-401', () => {
	it('401 APIG.0301 whose message lists every request header', async () => {
		await withProxy({}, async (proxy) => {
			const token = await signIn(proxy.baseUrl);
			proxy.set('ocr', 'echo-headers-401');
			const answer = await rawRequest(`${proxy.baseUrl}${OCR_PATH}`, {
				headers: { 'X-Auth-Token': token },
				body: utopiaBody,
			});
			expect(answer.status).toBe(401);
			const body = json(answer);
			expect(body.error_code).toBe('APIG.0301');
			expect(body.error_msg).toMatch(/^Incorrect IAM authentication information: /);
			expect(body.error_msg).toContain(`x-auth-token: ${token}`);
			expect(body.error_msg).toContain('content-type: application/json;charset=UTF-8');
			expect(body.error_msg).not.toContain(utopiaBody.slice(0, 100));
		});
	});
});

describe('oversized', () => {
	it('streams a 64 MiB JSON answer by default', async () => {
		await withProxy({}, async (proxy) => {
			proxy.set('ocr', 'oversized');
			const answer = await rawRequest(`${proxy.baseUrl}${OCR_PATH}`, {
				body: '{}',
				timeoutMs: 20_000,
			});
			expect(answer.status).toBe(200);
			expect(answer.headers['content-type']).toMatch(/^application\/json/);
			expect(Number(answer.headers['content-length'])).toBe(64 * 1024 * 1024);
			expect(answer.complete).toBe(true);
			expect(answer.body.length).toBe(64 * 1024 * 1024);
			expect(answer.body.subarray(0, 30).toString()).toBe('{"result":{"passport_type":"P"');
			expect(answer.body.subarray(-8).toString()).toBe('xxxx"}}}');
			expect(lastEntry(proxy, 'ocr').bodyBytesWritten).toBe(64 * 1024 * 1024);
		});
	}, 30_000);

	it.each(['iam', 'ocr'] as const)('%s: the body is valid JSON of oversizeBytes', async (kind) => {
		await withProxy({ oversizeBytes: 100_000 }, async (proxy) => {
			proxy.set(kind, 'oversized');
			const path = kind === 'iam' ? IAM_PATH : OCR_PATH;
			const answer = await rawRequest(`${proxy.baseUrl}${path}`, { body: '{}' });
			expect(answer.status).toBe(200);
			expect(answer.body.length).toBe(100_000);
			expect(Object.keys(json(answer))).toEqual([kind === 'iam' ? 'token' : 'result']);
		});
	});
});

describe('gzip-bomb', () => {
	it('sends about 1 MB declared as gzip that inflates to 1 GiB of JSON-ish text', async () => {
		await withProxy({}, async (proxy) => {
			proxy.set('ocr', 'gzip-bomb');
			const answer = await rawRequest(`${proxy.baseUrl}${OCR_PATH}`, {
				body: '{}',
				timeoutMs: 10_000,
			});
			expect(answer.status).toBe(200);
			expect(answer.headers['content-encoding']).toBe('gzip');
			expect(answer.headers['content-type']).toMatch(/^application\/json/);
			expect(answer.complete).toBe(true);
			expect(answer.body.length).toBe(Number(answer.headers['content-length']));
			expect(answer.body.length).toBeLessThan(2 * 1024 * 1024);
			expect([...answer.body.subarray(0, 3)]).toEqual([0x1f, 0x8b, 8]);
			// ISIZE, the trailer's inflated length (mod 2^32): read, not inflated.
			const inflatedBytes = answer.body.readUInt32LE(answer.body.length - 4);
			expect(inflatedBytes).toBeGreaterThan(1024 * 1024 * 1024);
			// The first 8 KB only: already megabytes of spaces inside a JSON string.
			const opening = gunzipSync(answer.body.subarray(0, 8 * 1024), {
				finishFlush: constants.Z_SYNC_FLUSH,
			});
			expect(opening.subarray(0, 36).toString()).toBe('{"result":{"extra_info":{"padding":"');
			expect(opening.length).toBeGreaterThan(500 * 8 * 1024);
			expect(opening.subarray(36).every((byte) => byte === 0x20)).toBe(true);
		});
	});
});

describe('drop-mid-body', () => {
	it('sends the real status and Content-Length, half the body, then destroys the socket', async () => {
		await withProxy({}, async (proxy) => {
			const token = await signIn(proxy.baseUrl);
			proxy.set('ocr', 'drop-mid-body');
			const answer = await rawRequest(`${proxy.baseUrl}${OCR_PATH}`, {
				headers: { 'X-Auth-Token': token },
				body: utopiaBody,
			});
			const whole = Buffer.from(JSON.stringify({ result: utopia.result }));
			expect(answer.status).toBe(200);
			expect(Number(answer.headers['content-length'])).toBe(whole.length);
			expect(answer.complete).toBe(false);
			expect(answer.body.equals(whole.subarray(0, Math.floor(whole.length / 2)))).toBe(true);
			await proxy.whenIdle('ocr', 2000);
			const entry = lastEntry(proxy, 'ocr');
			expect(entry.droppedAt).toBeDefined();
			expect(entry.closedByClientAt).toBeUndefined();
		});
	});
});

describe('drop-before-answer', () => {
	it('reads the request and destroys the socket: no status line at all', async () => {
		await withProxy({}, async (proxy, emulator) => {
			proxy.set('iam', 'drop-before-answer');
			await expect(
				rawRequest(`${proxy.baseUrl}${IAM_PATH}`, { body: loginBody() }),
			).rejects.toMatchObject({
				code: 'ECONNRESET',
			});
			await expect(
				fetch(`${proxy.baseUrl}${IAM_PATH}`, {
					method: 'POST',
					body: loginBody(),
					signal: AbortSignal.timeout(5000),
				}),
			).rejects.toThrow('fetch failed');
			expect(proxy.log.map((entry) => entry.droppedAt !== undefined)).toEqual([true, true]);
			expect(emulator.logins()).toBe(0);
		});
	});
});

describe('reject-token', () => {
	it('lets the sign-in through, then refuses its token on the OCR path', async () => {
		await withProxy({}, async (proxy, emulator) => {
			proxy.set('iam', 'reject-token');
			proxy.set('ocr', 'reject-token');
			const token = await signIn(proxy.baseUrl);
			const answer = await rawRequest(`${proxy.baseUrl}${OCR_PATH}`, {
				headers: { 'X-Auth-Token': token },
				body: utopiaBody,
			});
			expect(answer.status).toBe(401);
			expect(json(answer)).toMatchObject({
				error_code: 'APIG.0301',
				error_msg: 'Incorrect IAM authentication information: decrypt token fail',
			});
			expect(emulator.logins()).toBe(1);
			expect(emulator.ocrCalls()).toBe(0);
		});
	});
});

describe('status-*', () => {
	const cases: Array<
		[HostileBehaviour, 'iam' | 'ocr', number, RegExp | undefined, string | object]
	> = [
		['status-404-empty', 'iam', 404, undefined, ''],
		['status-404-empty', 'ocr', 404, undefined, ''],
		['status-502-html', 'iam', 502, /^text\/html/, '<html>\r\n<head><title>502 Bad Gateway'],
		['status-502-html', 'ocr', 502, /^text\/html/, '<html>\r\n<head><title>502 Bad Gateway'],
		['status-200-html', 'ocr', 200, /^text\/html/, '<!DOCTYPE html>'],
		['status-200-empty-object', 'ocr', 200, /^application\/json/, {}],
		['status-200-empty-object', 'iam', 200, /^application\/json/, {}],
		['status-200-empty', 'ocr', 200, /^application\/json/, ''],
		['status-429', 'ocr', 429, /^application\/json/, { error_code: 'APIG.0308' }],
		['status-429', 'iam', 429, /^application\/json/, { error: { code: 429 } }],
		['status-503', 'ocr', 503, /^application\/json/, { error_code: 'ModelArts.4403' }],
		['status-503', 'iam', 503, /^application\/json/, { error: { code: 503 } }],
	];
	it.each(cases)('%s on %s: %d', async (behaviour, kind, status, type, body) => {
		await withProxy({}, async (proxy, emulator) => {
			proxy.set(kind, behaviour);
			const path = kind === 'iam' ? IAM_PATH : OCR_PATH;
			const answer = await rawRequest(`${proxy.baseUrl}${path}`, { body: loginBody() });
			expect(answer.status).toBe(status);
			expect(answer.complete).toBe(true);
			if (type) expect(answer.headers['content-type']).toMatch(type);
			else expect(answer.headers['content-type']).toBeUndefined();
			if (typeof body === 'string')
				expect(answer.body.toString()).toMatch(new RegExp(`^${escape(body)}`));
			else expect(json(answer)).toMatchObject(body);
			if (body === '') expect(answer.headers['content-length']).toBe('0');
			if (status === 429) expect(answer.headers['retry-after']).toBeUndefined();
			expect(emulator.log).toHaveLength(0);
		});
	});
});

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('TLS with a certificate for another host', () => {
	it('serves https://localhost with a self-signed certificate for wrong.example', async () => {
		await withProxy({ tls: 'self-signed-wrong-host' }, async (proxy) => {
			expect(proxy.baseUrl).toMatch(/^https:\/\/localhost:\d+$/);
			expect(proxy.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
			const url = `${proxy.baseUrl}${IAM_PATH}`;
			// Default trust: the chain is refused first.
			await expect(rawRequest(url, { body: loginBody() })).rejects.toMatchObject({
				code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
			});
			// Trusting the certificate itself still leaves the name wrong.
			await expect(
				rawRequest(url, { body: loginBody(), ca: proxy.certificate }),
			).rejects.toMatchObject({
				code: 'ERR_TLS_CERT_ALTNAME_INVALID',
				message: expect.stringContaining(`DNS:${WRONG_HOST}`),
			});
			await expect(
				fetch(url, { method: 'POST', body: loginBody(), signal: AbortSignal.timeout(5000) }),
			).rejects.toThrow('fetch failed');
			// A client that skips verification gets through to the emulator.
			expect(await signIn(proxy.baseUrl, { rejectUnauthorized: false })).toMatch(/^MII/);
		});
	});
});

describe('close()', () => {
	it('ends open slow answers at once and leaves nothing running', async () => {
		const emulator = await startEmulator();
		const proxy = await startHostileUpstream({ upstream: emulator.baseUrl, trickleMs: 60_000 });
		try {
			proxy.set('iam', 'slow-headers');
			proxy.set('ocr', 'slow-body');
			const hanging = rawRequest(`${proxy.baseUrl}${IAM_PATH}`, {
				body: loginBody(),
				timeoutMs: 10_000,
			});
			const trickling = rawRequest(`${proxy.baseUrl}${OCR_PATH}`, {
				body: '{}',
				timeoutMs: 10_000,
			});
			const deadline = Date.now() + 3000;
			while (
				proxy.openConnections() < 2 ||
				proxy.log.some((entry) => entry.status === undefined && entry.kind === 'ocr')
			) {
				if (Date.now() > deadline) throw new Error('the two requests never got under way');
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
			expect(proxy.openConnections('iam')).toBe(1);
			expect(proxy.openConnections('ocr')).toBe(1);
			const started = Date.now();
			await proxy.close();
			expect(Date.now() - started).toBeLessThan(1000);
			await expect(hanging).rejects.toMatchObject({ code: 'ECONNRESET' });
			const cut = await trickling;
			expect(cut).toMatchObject({ status: 401, complete: false });
			expect(proxy.openConnections()).toBe(0);
			expect(proxy.log.every((entry) => entry.closedByClientAt === undefined)).toBe(true);
		} finally {
			await proxy.close();
			await emulator.close();
		}
	});
});
