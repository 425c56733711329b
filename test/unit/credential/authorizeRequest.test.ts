import axios from 'axios';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { authorizeRequest } from '../../../nodes/PassportOcr/credential/authorizeRequest';
import { readOcrCredential } from '../../../nodes/PassportOcr/credential/credentialSettings';
import { parseAuthorization } from '../../../nodes/PassportOcr/credential/requestSigning';
import { tokenBinding } from '../../../nodes/PassportOcr/credential/tokenBinding';
import { FIXTURES, startEmulator, type Emulator } from '../../emulator';

const utopia = FIXTURES.find((fixture) => fixture.name === 'utopia-eriksson')!;
const MINUTE_MS = 60_000;

let emulator: Emulator;

beforeEach(async () => {
	emulator = await startEmulator();
});

afterEach(async () => {
	jest.useRealTimers();
	await emulator.close();
});

function credentialFor(fields: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	return {
		cloud: 'custom',
		customOcrEndpoint: emulator.baseUrl,
		customIamEndpoint: emulator.baseUrl,
		customRegion: emulator.region,
		projectId: emulator.accounts[0].projects[0].id,
		...fields,
	};
}

function keyCredential(temporary: boolean): ICredentialDataDecryptedObject {
	const key = emulator.accounts[0].accessKeys!.find(
		(candidate) => (candidate.securityToken !== undefined) === temporary,
	)!;
	return credentialFor({
		authentication: temporary ? 'temporaryAccessKey' : 'accessKey',
		...key,
	});
}

function passportRequest(body: IHttpRequestOptions['body']): IHttpRequestOptions {
	return {
		method: 'POST',
		url: `${emulator.baseUrl}/v2/${emulator.accounts[0].projects[0].id}/ocr/passport`,
		headers: { 'Content-Type': 'application/json;charset=UTF-8' },
		body,
		json: true,
	};
}

/** Sends the options the way n8n's axios path does: body and headers exactly as given. */
async function send(options: IHttpRequestOptions) {
	const response = await axios.request({
		method: options.method,
		url: options.url,
		baseURL: options.baseURL,
		headers: options.headers as Record<string, string>,
		data: options.body,
		validateStatus: () => true,
	});
	return { status: response.status, body: response.data as Record<string, unknown> };
}

const header = (options: IHttpRequestOptions, name: string) =>
	(options.headers as Record<string, string>)[name];

describe('authorizeRequest with an IAM token', () => {
	const signInFields = {
		domainName: 'acme',
		userName: 'bot',
		password: 'pw-1',
	};
	const signIn = () => readOcrCredential(credentialFor(signInFields)).auth;
	const withToken = (token: string, details = signInFields) => {
		const auth = signIn();
		if (auth.method !== 'iamUser') throw new Error('expected an IAM user');
		return credentialFor({
			...details,
			iamToken: token,
			iamTokenFor: tokenBinding(token, auth.signIn),
		});
	};

	it('adds the stored token as X-Auth-Token and leaves the rest of the request as it is', async () => {
		const request = passportRequest({ image: 'x' });
		const authorized = await authorizeRequest(withToken('MII-token'), request);
		expect(authorized).toEqual({
			...request,
			headers: { ...request.headers, 'X-Auth-Token': 'MII-token' },
		});
		expect((await send(authorized)).status).toBe(401);
	});
});

describe('authorizeRequest with an access key', () => {
	it.each([
		['a JSON object', { image: utopia.bytes.toString('base64') }],
		['JSON bytes', Buffer.from(JSON.stringify({ image: utopia.bytes.toString('base64') }))],
	])('signs %s body over the bytes it sends; the gateway verifies it', async (_, body) => {
		const signed = await authorizeRequest(keyCredential(false), passportRequest(body));
		expect(typeof signed.body === 'string' || Buffer.isBuffer(signed.body)).toBe(true);
		expect(parseAuthorization(header(signed, 'Authorization'))?.signedHeaders).toEqual([
			'content-type',
			'host',
			'x-project-id',
			'x-sdk-date',
		]);
		expect(header(signed, 'X-Project-Id')).toBe(emulator.accounts[0].projects[0].id);
		const answer = await send(signed);
		expect(answer).toEqual({ status: 200, body: { result: utopia.result } });
	});

	it('signs X-Security-Token for a temporary key, and the empty test body as the bytes {}', async () => {
		const credential = keyCredential(true);
		const signed = await authorizeRequest(credential, {
			method: 'POST',
			url: '/v2/' + String(credential.projectId) + '/ocr/passport',
			body: {},
			json: true,
		});
		expect(signed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\//);
		expect(signed.baseURL).toBeUndefined();
		expect(signed.body).toBe('{}');
		expect(header(signed, 'Content-Type')).toBe('application/json;charset=UTF-8');
		expect(header(signed, 'X-Security-Token')).toBe(credential.securityToken);
		expect(parseAuthorization(header(signed, 'Authorization'))?.signedHeaders).toContain(
			'x-security-token',
		);
		expect(await send(signed)).toMatchObject({ status: 400, body: { error_code: 'AIS.0101' } });
	});

	it('signs its own output again with the time of the new attempt, as n8n resends it', async () => {
		jest.useFakeTimers({
			doNotFake: [
				'hrtime',
				'nextTick',
				'performance',
				'queueMicrotask',
				'setImmediate',
				'clearImmediate',
				'setInterval',
				'clearInterval',
				'setTimeout',
				'clearTimeout',
			],
		});
		const first = await authorizeRequest(keyCredential(false), passportRequest({ url: 'x' }));
		expect((await send(first)).body.error_code).toBe('ModelArts.4601');
		// Both clocks move on 16 minutes: a kept signature is now too old for the gateway.
		jest.setSystemTime(Date.now() + 16 * MINUTE_MS);
		expect((await send(first)).body.error_msg).toMatch(/signature expired/);
		const resent = await authorizeRequest(keyCredential(false), first);
		expect(header(resent, 'X-Sdk-Date')).not.toBe(header(first, 'X-Sdk-Date'));
		expect(resent.body).toBe(first.body);
		expect(Object.keys(resent.headers ?? {}).sort()).toEqual(
			Object.keys(first.headers ?? {}).sort(),
		);
		expect((await send(resent)).body.error_code).toBe('ModelArts.4601');
	});

	it.each([
		[
			'a query in qs',
			{ qs: { a: 1 } },
			'A signed request must carry its query in the URL, not in qs',
		],
		[
			'a form body',
			{ body: new URLSearchParams('a=1') },
			'Only a JSON, text or bytes body can be signed',
		],
	])('refuses %s, which it could not sign as sent', async (_, change, message) => {
		await expect(
			authorizeRequest(keyCredential(false), { ...passportRequest({}), ...change }),
		).rejects.toThrow(message);
	});
});
