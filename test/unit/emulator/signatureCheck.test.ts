import { createHash } from 'node:crypto';

import {
	formatSdkDate,
	parseSdkDate,
	type SigningKey,
} from '../../../nodes/PassportOcr/credential/requestSigning';
import {
	DEFAULT_ACCOUNT,
	FIXTURES,
	startEmulator,
	type Emulator,
	type EmulatorAccount,
	type EmulatorOptions,
} from '../../emulator';
import { login, recognize, signedRecognize } from './emulatorClient';

const utopia = FIXTURES.find((fixture) => fixture.name === 'utopia-eriksson')!;
const utopiaBody = JSON.stringify({ image: utopia.bytes.toString('base64') });
const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const MINUTE_MS = 60_000;

const [permanentKey, temporaryKey] = DEFAULT_ACCOUNT.accessKeys!;
const projectId = DEFAULT_ACCOUNT.projects[0].id;
const PERMANENT: SigningKey = { ...permanentKey, projectId };
const TEMPORARY: SigningKey = { ...temporaryKey, projectId };

const ACME: EmulatorAccount = {
	domain: 'acme',
	user: 'ops',
	password: 'pw-1',
	projects: [
		{ id: 'aaaa0000aaaa0000aaaa0000aaaa0000', region: 'ap-southeast-1', passportEnabled: true },
		{ id: 'bbbb0000bbbb0000bbbb0000bbbb0000', region: 'ap-southeast-1', passportEnabled: false },
		{ id: 'cccc0000cccc0000cccc0000cccc0000', region: 'cn-north-4', passportEnabled: true },
	],
	accessKeys: [{ accessKey: 'ACME-AK', secretKey: 'acme-sk' }],
};
const acmeKey = (id: string): SigningKey => ({
	accessKey: 'ACME-AK',
	secretKey: 'acme-sk',
	projectId: id,
});

let emulator: Emulator;

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
	emulator = await startEmulator(options);
	return emulator;
}

afterEach(async () => {
	await emulator?.close();
});

const refusal = (detail: string) => ({
	error_code: 'APIGW.0301',
	error_msg: `Incorrect IAM authentication information: ${detail}`,
	request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
});

describe('AK/SK-signed calls to the passport API', () => {
	it.each([
		['a permanent key', PERMANENT],
		['a temporary key with its security token', TEMPORARY],
	])('accepts %s and logs the access key', async (_, key) => {
		await start();
		const answer = await signedRecognize(emulator, utopiaBody, key);
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ result: utopia.result });
		expect(emulator.log[0]).toMatchObject({ kind: 'ocr', status: 200, accessKey: key.accessKey });
		expect(emulator.logins()).toBe(0);
	});

	it('verifies over the SignedHeaders it receives: unsigned headers may be added or left out', async () => {
		await start();
		const answer = await signedRecognize(emulator, utopiaBody, PERMANENT, {
			headers: {},
			unsignedHeaders: {
				'Content-Type': 'application/json',
				'User-Agent': 'n8n',
				'X-Extra': 'added after signing',
			},
		});
		expect(answer.status).toBe(200);
	});

	it('answers a changed body with its canonical request, "\\n" shown as "|"', async () => {
		await start();
		const now = new Date();
		const sentBody = JSON.stringify({ image: utopia.bytes.toString('base64'), url: 'x' });
		const answer = await signedRecognize(emulator, utopiaBody, PERMANENT, { now, sentBody });
		expect(answer.status).toBe(401);
		const host = new URL(emulator.baseUrl).host;
		const canonical = [
			'POST',
			`/v2/${projectId}/ocr/passport/`,
			'',
			'content-type:application/json;charset=UTF-8',
			`host:${host}`,
			`x-project-id:${projectId}`,
			`x-sdk-date:${formatSdkDate(now)}`,
			'',
			'content-type;host;x-project-id;x-sdk-date',
			sha256Hex(sentBody),
		].join('|');
		expect(answer.json).toEqual(
			refusal(`verify aksk signature fail, canonicalRequest:${canonical}`),
		);
		expect(emulator.log[0]).toMatchObject({
			status: 401,
			errorCode: 'APIGW.0301',
			accessKey: 'EMULATOR-AK',
		});
	});

	it('answers a wrong secret key as a signature that does not verify', async () => {
		await start();
		const answer = await signedRecognize(emulator, utopiaBody, { ...PERMANENT, secretKey: 'nope' });
		expect(answer.status).toBe(401);
		expect((answer.json as { error_msg: string }).error_msg).toMatch(
			/^Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest:POST\|/,
		);
	});

	it('answers an unknown access key with "ak ... not exist"', async () => {
		await start();
		const answer = await signedRecognize(emulator, utopiaBody, { ...PERMANENT, accessKey: 'NOPE' });
		expect(answer.status).toBe(401);
		expect(answer.json).toEqual(refusal('ak NOPE not exist'));
	});

	it.each([
		['without its security token', { ...TEMPORARY, securityToken: undefined }],
		['with a security token that is not its own', { ...TEMPORARY, securityToken: 'other' }],
	])('treats a temporary key %s as unknown', async (_, key) => {
		await start();
		const answer = await signedRecognize(emulator, utopiaBody, key);
		expect(answer.json).toEqual(refusal('ak EMULATOR-TEMP-AK not exist'));
	});

	it('refuses a signature time more than 15 minutes from its clock, naming both times', async () => {
		await start({ clockSkewMs: 16 * MINUTE_MS });
		const now = new Date();
		const answer = await signedRecognize(emulator, utopiaBody, PERMANENT, { now });
		expect(answer.status).toBe(401);
		const message = (answer.json as { error_msg: string }).error_msg;
		const times =
			/^Incorrect IAM authentication information: calc aksk signature fail:signature expired, signature time:(\w+),server time:(\w+)$/.exec(
				message,
			);
		expect(times?.[1]).toBe(formatSdkDate(now));
		const skew = parseSdkDate(times![2])!.getTime() - parseSdkDate(times![1])!.getTime();
		expect(Math.round(skew / MINUTE_MS)).toBe(16);
	});

	it('accepts a signature 14 minutes off either way, and a new signature once the clock is right', async () => {
		await start({ clockSkewMs: -14 * MINUTE_MS });
		expect((await signedRecognize(emulator, utopiaBody, PERMANENT)).status).toBe(200);
		emulator.setKnobs({ clockSkewMs: 14 * MINUTE_MS });
		expect((await signedRecognize(emulator, utopiaBody, PERMANENT)).status).toBe(200);
		emulator.setKnobs({ clockSkewMs: 20 * MINUTE_MS });
		expect((await signedRecognize(emulator, utopiaBody, PERMANENT)).status).toBe(401);
		emulator.setKnobs({ clockSkewMs: 0 });
		expect((await signedRecognize(emulator, utopiaBody, PERMANENT)).status).toBe(200);
	});

	it.each([
		['a project of another account', 'ffff0000ffff0000ffff0000ffff0000', undefined],
		['a project in another region', 'cccc0000cccc0000cccc0000cccc0000', undefined],
		[
			'an X-Project-Id other than the path',
			'aaaa0000aaaa0000aaaa0000aaaa0000',
			'bbbb0000bbbb0000bbbb0000bbbb0000',
		],
	])('answers "verify project fail" for %s', async (_, pathProject, headerProject) => {
		await start({ accounts: [ACME] });
		const answer = await signedRecognize(
			emulator,
			utopiaBody,
			acmeKey(headerProject ?? pathProject),
			{
				projectId: pathProject,
			},
		);
		expect(answer.status).toBe(401);
		expect(answer.json).toEqual(refusal('verify project fail'));
	});

	it('answers ModelArts.4204 for a project without Passport, after the signature holds', async () => {
		await start({ accounts: [ACME] });
		const id = 'bbbb0000bbbb0000bbbb0000bbbb0000';
		const answer = await signedRecognize(emulator, utopiaBody, acmeKey(id), { projectId: id });
		expect(answer.status).toBe(403);
		expect(answer.json).toMatchObject({ error_code: 'ModelArts.4204' });
	});

	it('counts token and key calls of one user against the same rate limit', async () => {
		await start({ rateLimitPerMinute: 1 });
		const token = await login(emulator);
		expect(
			(await recognize(emulator, { image: utopia.bytes.toString('base64') }, token)).status,
		).toBe(200);
		const answer = await signedRecognize(emulator, utopiaBody, PERMANENT);
		expect(answer.status).toBe(429);
		expect(answer.json).toMatchObject({ error_code: 'APIGW.0308' });
	});

	it('reads an unreadable SDK-HMAC-SHA256 Authorization as a failed signature, and any other as none', async () => {
		await start();
		const garbled = await recognize(emulator, {}, undefined);
		expect(garbled.json).toMatchObject({ error_code: 'ModelArts.4101' });
		const headers = {
			Authorization: 'SDK-HMAC-SHA256 Access=EMULATOR-AK',
			'X-Sdk-Date': '20200101T000000Z',
		};
		const unreadable = await fetch(`${emulator.baseUrl}/v2/${projectId}/ocr/passport`, {
			method: 'POST',
			headers,
			body: '{}',
		});
		expect(await unreadable.json()).toEqual(refusal('verify aksk signature fail'));
		const bearer = await fetch(`${emulator.baseUrl}/v2/${projectId}/ocr/passport`, {
			method: 'POST',
			headers: { Authorization: 'Bearer abc' },
			body: '{}',
		});
		expect(await bearer.json()).toMatchObject({ error_code: 'ModelArts.4101' });
	});

	it('answers the 401 fault once, as a refused credential, then verifies again', async () => {
		await start();
		emulator.injectFaults(['401']);
		const refused = await signedRecognize(emulator, utopiaBody, PERMANENT);
		expect(refused.status).toBe(401);
		expect(refused.json).toEqual(refusal('AK access failed to reach the limit,forbidden.'));
		expect(emulator.log[0]).toMatchObject({ fault: '401', accessKey: 'EMULATOR-AK' });
		expect((await signedRecognize(emulator, utopiaBody, PERMANENT)).status).toBe(200);
	});
});

describe('the default account keeps its password login', () => {
	it('signs in with the password and carries the keys beside it', async () => {
		await start();
		expect(await login(emulator)).toMatch(/^MII/);
		expect(emulator.accounts[0].accessKeys?.map((key) => key.accessKey)).toEqual([
			'EMULATOR-AK',
			'EMULATOR-TEMP-AK',
		]);
		expect(temporaryKey.securityToken!.length).toBeGreaterThan(2000);
	});
});
