/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import { setTimeout as sleep } from 'node:timers/promises';

import {
	DEFAULT_ACCOUNT,
	type Emulator,
	type EmulatorAccount,
	type EmulatorOptions,
	FIXTURES,
	startEmulator,
} from '../../emulator';
import { login, loginBody, post, recognize } from './emulatorClient';

const utopia = FIXTURES.find((fixture) => fixture.name === 'utopia-eriksson')!;
const utopiaImage = { image: utopia.bytes.toString('base64') };

const HK = 'ap-southeast-1';
const ACME: EmulatorAccount = {
	domain: 'acme',
	user: 'ops',
	password: 'pw-1',
	projects: [
		{ id: 'aaaa0000aaaa0000aaaa0000aaaa0000', region: HK, passportEnabled: true },
		{ id: 'bbbb0000bbbb0000bbbb0000bbbb0000', region: HK, passportEnabled: false },
		{ id: 'cccc0000cccc0000cccc0000cccc0000', region: 'cn-north-4', passportEnabled: true },
	],
};
const [acmeMain, acmeUnsubscribed, acmeBeijing] = ACME.projects;

let emulator: Emulator;

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
	emulator = await startEmulator(options);
	return emulator;
}

afterEach(async () => {
	await emulator?.close();
});

const tokensUrl = () => `${emulator.baseUrl}/v3/auth/tokens`;

describe('IAM password login', () => {
	it('issues a long opaque token in X-Subject-Token with a Keystone body and a 24 h lifetime', async () => {
		await start();
		const answer = await post(tokensUrl(), loginBody());
		expect(answer.status).toBe(201);
		const token = answer.headers.get('x-subject-token')!;
		expect(token).toMatch(/^MII[A-Za-z0-9+\-=]+$/);
		// Real tokens run to about 8 kB or more (reference 2.1c): 8 to 12 kB here.
		expect(token.length).toBeGreaterThanOrEqual(8 * 1024);
		expect(token.length).toBeLessThanOrEqual(12 * 1024);
		const body = answer.json as { token: Record<string, unknown> };
		expect(body.token).toMatchObject({
			methods: ['password'],
			project: {
				id: DEFAULT_ACCOUNT.projects[0].id,
				name: HK,
				domain: { name: 'emulator-domain' },
			},
			user: { name: 'emulator-user', domain: { name: 'emulator-domain' } },
		});
		expect(body.token.catalog).toEqual(expect.any(Array));
		const issued = Date.parse(body.token.issued_at as string);
		expect(body.token.issued_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
		expect(Date.parse(body.token.expires_at as string) - issued).toBe(24 * 60 * 60 * 1000);
		expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
	});

	it('leaves the catalog out with ?nocatalog=true and accepts a project scope by id', async () => {
		await start({ accounts: [ACME] });
		const scope = { project: { id: acmeUnsubscribed.id } };
		const answer = await post(`${tokensUrl()}?nocatalog=true`, loginBody(ACME, scope));
		expect(answer.status).toBe(201);
		const body = answer.json as { token: Record<string, unknown> };
		expect(body.token).not.toHaveProperty('catalog');
		expect(body.token.project).toMatchObject({ id: acmeUnsubscribed.id, name: HK });
	});

	it.each([
		['password', { ...DEFAULT_ACCOUNT, password: 'nope' }],
		['user', { ...DEFAULT_ACCOUNT, user: 'someone-else' }],
		['domain', { ...DEFAULT_ACCOUNT, domain: 'other-domain' }],
	])('answers 401 in the Keystone shape for a wrong %s', async (_, account) => {
		await start();
		const answer = await post(tokensUrl(), loginBody(account));
		expect(answer.status).toBe(401);
		expect(answer.json).toEqual({
			error: { code: 401, title: 'Unauthorized', message: 'The username or password is wrong.' },
		});
		expect(answer.headers.get('x-subject-token')).toBeNull();
	});

	it.each([
		['a project name', { project: { name: 'eu-west-101' } }, 'eu-west-101'],
		['a project id', { project: { id: 'ffff0000ffff0000ffff0000ffff0000' } }, 'ffff0000ffff0000'],
	])('answers 400 naming the project for %s the account lacks', async (_, scope, named) => {
		await start();
		const answer = await post(tokensUrl(), loginBody(DEFAULT_ACCOUNT, scope));
		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({
			error: { code: 400, title: 'Bad Request', message: expect.stringContaining(named) },
		});
	});

	const valid = loginBody();
	const identity = valid.auth.identity;
	it.each([
		['a body that is not JSON', '{"auth": '],
		['a JSON array', '[]'],
		[
			'methods other than ["password"]',
			{ auth: { ...valid.auth, identity: { ...identity, methods: ['token'] } } },
		],
		[
			'a user without domain',
			{
				auth: {
					...valid.auth,
					identity: { ...identity, password: { user: { name: 'u', password: 'p' } } },
				},
			},
		],
		['no scope', { auth: { identity } }],
		[
			'a scope with both project and domain',
			{ auth: { identity, scope: { project: { name: HK }, domain: { name: 'd' } } } },
		],
	])('answers 400 for %s', async (_, body) => {
		await start();
		const answer = await post(tokensUrl(), body);
		expect(answer.status).toBe(400);
		expect(answer.json).toMatchObject({ error: { code: 400, title: 'Bad Request' } });
		expect(emulator.log[0]).toMatchObject({
			kind: 'login',
			status: 400,
			detail: expect.any(String),
		});
	});
});

describe('gateway checks on the OCR path', () => {
	it('answers ModelArts.4101 (401) without X-Auth-Token', async () => {
		await start();
		const answer = await recognize(emulator, utopiaImage, undefined);
		expect(answer.status).toBe(401);
		expect(answer.json).toEqual({
			error_code: 'ModelArts.4101',
			error_msg: 'Token header cannot be empty.',
		});
	});

	it('answers APIGW.0301 with the request id in body and header for a token it never issued', async () => {
		await start();
		const answer = await recognize(emulator, utopiaImage, `MII${'x'.repeat(20_000)}`);
		expect(answer.status).toBe(401);
		expect(answer.json).toEqual({
			error_code: 'APIGW.0301',
			error_msg: 'Incorrect IAM authentication information: decrypt token fail',
			request_id: answer.headers.get('x-request-id'),
		});
	});

	it('answers APIG.0307 once the token lifetime has passed', async () => {
		await start({ tokenTtlMs: 150 });
		const token = await login(emulator);
		expect((await recognize(emulator, utopiaImage, token)).status).toBe(200);
		await sleep(200);
		const answer = await recognize(emulator, utopiaImage, token);
		expect(answer.status).toBe(401);
		expect(answer.json).toMatchObject({
			error_code: 'APIG.0307',
			error_msg: 'The token must be updated.',
		});
	});

	it('answers APIG.0307 for every token issued before expireTokens(), and accepts a new one', async () => {
		await start();
		const first = await login(emulator);
		const second = await login(emulator);
		emulator.expireTokens();
		for (const token of [first, second]) {
			expect((await recognize(emulator, utopiaImage, token)).json).toMatchObject({
				error_code: 'APIG.0307',
			});
		}
		expect((await recognize(emulator, utopiaImage, await login(emulator))).status).toBe(200);
	});

	it('answers APIGW.0301 for a token of another project of the same account', async () => {
		await start({ accounts: [ACME] });
		const token = await login(emulator, ACME, { project: { id: acmeMain.id } });
		const answer = await recognize(emulator, utopiaImage, token, acmeUnsubscribed.id);
		expect(answer.status).toBe(401);
		expect(answer.json).toMatchObject({ error_code: 'APIGW.0301', request_id: expect.any(String) });
	});

	it('answers APIG.0307 for a token of a project in another region', async () => {
		await start({ accounts: [ACME] });
		const token = await login(emulator, ACME, { project: { name: acmeBeijing.region } });
		const answer = await recognize(emulator, utopiaImage, token, acmeBeijing.id);
		expect(answer.status).toBe(401);
		expect(answer.json).toMatchObject({ error_code: 'APIG.0307' });
	});

	it('answers ModelArts.0212 for a domain-scoped token', async () => {
		await start();
		const token = await login(emulator, DEFAULT_ACCOUNT, {
			domain: { name: DEFAULT_ACCOUNT.domain },
		});
		const answer = await recognize(emulator, utopiaImage, token);
		expect(answer.status).toBe(401);
		expect(answer.json).toMatchObject({ error_code: 'ModelArts.0212' });
	});

	it('answers ModelArts.4204 (403) when the project has not subscribed to Passport', async () => {
		await start({ accounts: [ACME] });
		const token = await login(emulator, ACME, { project: { id: acmeUnsubscribed.id } });
		const answer = await recognize(emulator, utopiaImage, token, acmeUnsubscribed.id);
		expect(answer.status).toBe(403);
		expect(answer.json).toEqual({
			error_code: 'ModelArts.4204',
			error_msg: 'Request api error! The API ocr_passport is not subscribed.',
		});
	});

	it('throttles per user with 429 APIGW.0308, without Retry-After as Huawei documents, or with it on request', async () => {
		await start({ accounts: [DEFAULT_ACCOUNT, { ...DEFAULT_ACCOUNT, user: 'second-user' }] });
		emulator.setKnobs({ rateLimitPerMinute: 2 });
		const token = await login(emulator);
		const statuses = [];
		for (let call = 0; call < 3; call++)
			statuses.push((await recognize(emulator, utopiaImage, token)).status);
		expect(statuses).toEqual([200, 200, 429]);
		const refused = await recognize(emulator, utopiaImage, token);
		expect(refused.json).toEqual({
			error_code: 'APIGW.0308',
			error_msg:
				'The throttling threshold has been reached: policy user over ratelimit,limit:2,time:1 minute',
			request_id: refused.headers.get('x-request-id'),
		});
		expect(refused.headers.get('retry-after')).toBeNull();
		emulator.setKnobs({ retryAfter: true });
		const told = await recognize(emulator, utopiaImage, token);
		expect(Number(told.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
		const otherUser = await login(emulator, emulator.accounts[1]);
		expect((await recognize(emulator, utopiaImage, otherUser)).status).toBe(200);
	});

	it.each([
		['an unknown path', 'POST', '/v1/ocr/passport'],
		['a GET on the OCR path', 'GET', '/v2/0a1b2c3d4e5f60718293a4b5c6d7e8f9/ocr/passport'],
		['a path without project id', 'POST', '/v2/ocr/passport'],
	])('answers 404 APIG.0101 for %s', async (_, method, path) => {
		await start();
		const response = await fetch(`${emulator.baseUrl}${path}`, { method });
		expect(response.status).toBe(404);
		expect(await response.json()).toEqual({
			error_code: 'APIG.0101',
			error_msg: 'The API does not exist or has not been published in the environment.',
			request_id: response.headers.get('x-request-id'),
		});
		expect(emulator.log[0]).toMatchObject({ kind: 'other', status: 404, errorCode: 'APIG.0101' });
	});
});

describe('knobs and the request log', () => {
	it('delays every OCR answer by the latency knob', async () => {
		await start();
		const token = await login(emulator);
		emulator.setKnobs({ latencyMs: 300 });
		const started = Date.now();
		expect((await recognize(emulator, {}, token)).status).toBe(400);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});

	it('logs every request with its kind, status, code, project, body mode and request id', async () => {
		await start();
		const token = await login(emulator);
		await login(emulator);
		const ok = await recognize(emulator, utopiaImage, token);
		await recognize(emulator, { url: emulator.fileUrl(utopia.file) }, token);
		await recognize(emulator, { image: 'data:image/jpeg;base64,AAAA' }, token);
		expect(emulator.logins()).toBe(2);
		expect(emulator.ocrCalls()).toBe(3);
		const project = DEFAULT_ACCOUNT.projects[0].id;
		expect(emulator.log).toMatchObject([
			{ kind: 'login', method: 'POST', path: '/v3/auth/tokens', status: 201, project },
			{ kind: 'login', status: 201, project },
			{ kind: 'ocr', status: 200, project, bodyMode: 'image' },
			{ kind: 'ocr', status: 200, project, bodyMode: 'url' },
			{ kind: 'file', method: 'GET', path: `/files/${utopia.file}`, status: 200 },
			{ kind: 'ocr', status: 400, errorCode: 'AIS.0102', project, bodyMode: 'image' },
		]);
		expect(emulator.log[2]).not.toHaveProperty('errorCode');
		expect(emulator.log[2].time).toBeGreaterThanOrEqual(emulator.log[1].time);
		expect(emulator.log[2].requestId).toBe(ok.headers.get('x-request-id'));
		expect(new Set(emulator.log.map((entry) => entry.requestId)).size).toBe(6);
	});
});

describe('injected faults', () => {
	it('answers 503 ModelArts.4403, a 502 HTML page and broken JSON, one fault per call, then recovers', async () => {
		await start();
		const token = await login(emulator);
		emulator.injectFaults(['5xx', 'html', 'malformed']);
		const unavailable = await recognize(emulator, utopiaImage, token);
		expect(unavailable.status).toBe(503);
		expect(unavailable.json).toEqual({
			error_code: 'ModelArts.4403',
			error_msg: 'Backend service unavailable error.',
		});
		const proxy = await recognize(emulator, utopiaImage, token);
		expect(proxy.status).toBe(502);
		expect(proxy.headers.get('content-type')).toBe('text/html');
		expect(proxy.text).toContain('<h1>502 Bad Gateway</h1>');
		const broken = await recognize(emulator, utopiaImage, token);
		expect(broken.status).toBe(200);
		expect(() => JSON.parse(broken.text)).toThrow(SyntaxError);
		expect((await recognize(emulator, utopiaImage, token)).json).toEqual({ result: utopia.result });
		expect(emulator.log.filter((entry) => entry.fault).map((entry) => entry.fault)).toEqual([
			'5xx',
			'html',
			'malformed',
		]);
	});

	it('destroys the socket without an answer for a drop', async () => {
		await start();
		const token = await login(emulator);
		emulator.injectFaults(['drop']);
		await expect(recognize(emulator, utopiaImage, token)).rejects.toThrow('fetch failed');
		expect(emulator.log.at(-1)).toMatchObject({ kind: 'ocr', fault: 'drop', status: null });
		expect((await recognize(emulator, utopiaImage, token)).status).toBe(200);
	});

	it('never answers a hang, and close() ends it promptly', async () => {
		await start();
		const token = await login(emulator);
		emulator.injectFaults(['hang']);
		let settled = false;
		const pending = recognize(emulator, utopiaImage, token).finally(() => {
			settled = true;
		});
		await sleep(400);
		expect(settled).toBe(false);
		expect(emulator.log.at(-1)).toMatchObject({ fault: 'hang', status: null });
		const closing = Date.now();
		await emulator.close();
		await expect(pending).rejects.toThrow('fetch failed');
		expect(Date.now() - closing).toBeLessThan(1000);
	});

	it('ends a latency pause when closed', async () => {
		await start({ latencyMs: 60_000 });
		const token = await login(emulator);
		const pending = recognize(emulator, utopiaImage, token);
		await sleep(100);
		const closing = Date.now();
		await emulator.close();
		await expect(pending).rejects.toThrow();
		expect(Date.now() - closing).toBeLessThan(1000);
	});
});
