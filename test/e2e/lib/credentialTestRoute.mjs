/**
 * The credential's Test button as the editor presses it: a real n8n server, its owner signed in, and
 * `POST /rest/credentials/test` with the dialog's values, against the emulator and against a misbehaving proxy in
 * front of it (test/hostile). n8n 2.x tests a credential the user can read, with the dialog's values laid over
 * the stored ones, so every case names the imported credential's ID.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import { REPO_ROOT } from './process.mjs';
import { restCall } from './restApi.mjs';

const OWNER = {
	email: 'route-owner@example.com',
	firstName: 'Route',
	lastName: 'Owner',
	password: 'Route-owner-1',
};
const BROWSER_ID = 'passport-ocr-e2e-credential-test';

const hostileModule = () =>
	createRequire(import.meta.url)(
		path.join(REPO_ROOT, 'build-test', 'test', 'hostile', 'hostileUpstream.js'),
	);

const call = async (baseUrl, route, options = {}) =>
	await restCall(baseUrl, route, { ...options, browserId: BROWSER_ID });

/** Sets the owner up (the first screen of a new instance) and signs in. @returns the cookie to send */
async function signIn(baseUrl) {
	// n8n 1.x may answer before its routes are all there.
	const deadline = Date.now() + 90_000;
	for (;;) {
		const setup = await call(baseUrl, '/owner/setup', { method: 'POST', body: OWNER });
		if (setup.response.status !== 404 || Date.now() > deadline) break;
		await new Promise((resolve) => setTimeout(resolve, 2000));
	}
	const login = await call(baseUrl, '/login', {
		method: 'POST',
		body: { email: OWNER.email, emailOrLdapLoginId: OWNER.email, password: OWNER.password },
	});
	const cookie = login.response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.find((pair) => pair.startsWith('n8n-auth='));
	if (!cookie)
		throw new Error(`sign-in failed: ${login.response.status} ${login.text.slice(0, 200)}`);
	return cookie;
}

/** What the Test button shows for these dialog values. @returns `{ status, message }` */
async function pressTest(baseUrl, cookie, credential, data) {
	const { response, json, text } = await call(baseUrl, '/credentials/test', {
		method: 'POST',
		cookie,
		body: { credentials: { ...credential, data: { ...credential.data, ...data } } },
	});
	const result = json?.data ?? json;
	if (!response.ok || typeof result?.status !== 'string') {
		throw new Error(`/rest/credentials/test: ${response.status} ${text.slice(0, 300)}`);
	}
	return result;
}

/**
 * Runs the cases through the editor's route and records them in `checks`. `server` is a started n8n
 * (`startN8nServer`), `credential` the imported emulator credential.
 */
export async function checkCredentialTestRoute({ checks, server, emulator, credential, log }) {
	const cookie = await signIn(server.url);
	const { startHostileUpstream } = hostileModule();
	const proxy = await startHostileUpstream({ upstream: emulator.baseUrl });
	const viaProxy = { customOcrEndpoint: proxy.baseUrl, customIamEndpoint: proxy.baseUrl };
	const password = credential.data.password;
	try {
		const good = await pressTest(server.url, cookie, credential, {});
		checks.equal('a working credential: Connection successful', good.status, 'OK', good.message);

		const cases = [
			[
				'ocr',
				'status-404-empty',
				/HTTP 404 with an empty answer\. This does not look like the Passport API/,
			],
			['ocr', 'status-200-html', /HTTP 200 with a web page/],
			['ocr', 'status-200-empty-object', /HTTP 200 with an answer without a passport result/],
			['ocr', 'status-502-html', /HTTP 502 with a web page/],
			['ocr', 'gzip-bomb', /larger than 4 MB/],
			['iam', 'status-429', /is busy or failing \(HTTP 429\)/],
			['iam', 'status-503', /is busy or failing \(HTTP 503\)/],
			['iam', 'echo-request', /^IAM refused the sign-in with HTTP 400/],
		];
		for (const [kind, behaviour, expected] of cases) {
			proxy.set('iam', 'pass');
			proxy.set('ocr', 'pass');
			proxy.set(kind, behaviour);
			const started = Date.now();
			const result = await pressTest(server.url, cookie, credential, viaProxy);
			const seconds = ((Date.now() - started) / 1000).toFixed(1);
			checks.ok(
				`${kind} ${behaviour}: the test fails and says what to check (${seconds} s)`,
				result.status === 'Error' && expected.test(result.message),
				result.message,
			);
			checks.ok(
				`${kind} ${behaviour}: no password in the message`,
				!String(result.message).includes(password),
			);
			log?.(`  ${kind} ${behaviour}: ${result.status}: ${result.message}`);
		}
	} finally {
		await proxy.close();
	}
}
