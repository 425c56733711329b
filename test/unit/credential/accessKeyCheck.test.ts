import axios from 'axios';
import type { IHttpRequestOptions } from 'n8n-workflow';

import {
	accessKeyMarker,
	accessKeyProblem,
	checkAccessKey,
	type AccessKeyCredential,
} from '../../../nodes/PassportOcr/credential/accessKeyCheck';
import { resolveServiceProfile } from '../../../nodes/PassportOcr/credential/endpoints';
import { IamSignInError } from '../../../nodes/PassportOcr/credential/iamToken';
import { senderFromHttpRequest } from '../../../nodes/PassportOcr/transport/httpCall';
import { Redactor } from '../../../nodes/PassportOcr/transport/redaction';
import { startEmulator } from '../../emulator';

const TOKEN = 'temporary-security-token-value';

function credentialAt(ocrEndpoint: string, temporary = false): AccessKeyCredential {
	const key = { accessKey: 'AK1', secretKey: 'sk-1', projectId: 'p1' };
	return {
		profile: resolveServiceProfile({
			cloud: 'custom',
			customOcrEndpoint: ocrEndpoint,
			customIamEndpoint: ocrEndpoint,
			customRegion: 'ap-southeast-1',
		}),
		projectId: 'p1',
		auth: temporary
			? { method: 'temporaryAccessKey', key: { ...key, securityToken: TOKEN } }
			: { method: 'accessKey', key },
	};
}

const credential = credentialAt('https://ocr.example.test');

const refusal = (status: number, code: string, message: string) => ({
	statusCode: status,
	body: { error_code: code, error_msg: message, request_id: 'abc' },
});

const problemOf = (answer: { statusCode: number; body: unknown }, sent?: string) =>
	accessKeyProblem(answer, { credential, sentCanonicalRequest: sent });

describe('accessKeyProblem', () => {
	it.each([
		['invalid input (AIS.0101)', refusal(400, 'AIS.0101', 'The input parameter is invalid.')],
		['an unread body (ModelArts.4105)', refusal(400, 'ModelArts.4105', 'bad JSON')],
		['throttling, which comes after authentication', refusal(429, 'APIG.0308', 'ratelimit')],
		['a 2xx', { statusCode: 200, body: { result: {} } }],
	])('finds nothing wrong in %s', (_, answer) => {
		expect(problemOf(answer)).toBeUndefined();
	});

	it.each([
		'Incorrect IAM authentication information: ak AK1 not exist',
		'Incorrect IAM authentication information: Get secretKey failed,ak:AK1,err:ak not exist',
	])('reads an unknown key from "%s"', (message) => {
		const problem = problemOf(refusal(401, 'APIG.0301', message));
		expect(problem).toBeInstanceOf(IamSignInError);
		expect(problem).toMatchObject({
			problem: 'credentials',
			httpStatus: 401,
			message:
				'Access key ending in AK1 does not exist: copy the Access Key ID from My Credentials > Access Keys',
		});
	});

	it('reminds that a temporary key expires', () => {
		const problem = accessKeyProblem(
			refusal(401, 'APIGW.0301', 'Incorrect IAM authentication information: ak AK1 not exist'),
			{ credential: credentialAt('https://ocr.example.test', true) },
		);
		expect(problem?.message).toMatch(/a temporary key stops existing when it expires/);
	});

	const ours = [
		'POST',
		'/v2/p1/ocr/passport/',
		'',
		'content-type:application/json;charset=UTF-8',
		'host:ocr.example.test',
		'x-sdk-date:20260101T000000Z',
		`x-security-token:${TOKEN}`,
		'',
		'content-type;host;x-sdk-date;x-security-token',
		'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
	];
	const echo = (lines: string[]) =>
		`Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest:${lines.join('|')}`;

	it('reads a wrong secret from a signature failure over the request as signed', () => {
		for (const message of [
			echo(ours),
			'Incorrect IAM authentication information: verify aksk signature fail',
		]) {
			const problem = problemOf(refusal(401, 'APIG.0301', message), ours.join('\n'));
			expect(problem).toMatchObject({
				problem: 'credentials',
				message:
					"The Secret Access Key does not belong to access key ending in AK1: paste it again from the key's credentials file",
			});
			expect(problem?.message).not.toContain(TOKEN);
		}
	});

	it.each([
		[1, 'the path'],
		[3, 'the content-type header'],
		[8, 'the list of signed headers'],
		[9, 'the body'],
	])('names line %i (%s) when the gateway checked a different request', (line, part) => {
		const theirs = [...ours];
		theirs[line] = `${theirs[line]}x`;
		const problem = problemOf(refusal(401, 'APIG.0301', echo(theirs)), ours.join('\n'));
		expect(problem?.problem).toBe('unexpected');
		expect(problem?.message).toBe(
			`The service checked the signature over a request that differs from the one signed, in ${part}: something between n8n and https://ocr.example.test (a proxy?) changes requests`,
		);
		expect(problem?.message).not.toContain(TOKEN);
	});

	it.each([
		['20260101T000000Z', '20260101T001600Z', 16, 'behind'],
		['20260101T003000Z', '20260101T000000Z', 30, 'ahead of'],
	])(
		'reads clock skew from signature time %s and server time %s',
		(signed, server, minutes, way) => {
			const message = `Incorrect IAM authentication information: calc aksk signature fail:signature expired, signature time:${signed},server time:${server}`;
			expect(problemOf(refusal(401, 'APIG.0301', message))).toMatchObject({
				problem: 'clock',
				message: `This computer's clock is ${minutes} minutes ${way} the service's and the service refuses signatures more than 15 minutes off: set the n8n host's clock right (for example with NTP)`,
			});
		},
	);

	it('still names clock skew when the times are missing', () => {
		const problem = problemOf(refusal(401, 'APIG.0301', 'signature expired'));
		expect(problem?.message).toMatch(
			/^The request's signature time is too far from the service's clock/,
		);
	});

	it.each([
		[
			'Incorrect IAM authentication information: AK access failed to reach the limit,forbidden.',
			'credentials',
			/^Access key ending in AK1 is locked for 5 minutes after repeated failed signatures/,
		],
		[
			'Incorrect IAM authentication information: verify project fail',
			'project',
			/^Access key ending in AK1 cannot use project p1: copy the project ID of region ap-southeast-1/,
		],
		[
			'Incorrect IAM authentication information: invalid security token',
			'credentials',
			/^The Security Token was refused/,
		],
		[
			'Incorrect IAM authentication information: something new',
			'credentials',
			/^The OCR endpoint refused access key ending in AK1 \(it said: Incorrect IAM authentication information: something new\)$/,
		],
	])('reads "%s"', (message, problem, text) => {
		expect(problemOf(refusal(401, 'APIG.0301', message))).toMatchObject({
			problem,
			message: expect.stringMatching(text),
		});
	});

	it.each([
		[
			'ModelArts.4204',
			403,
			'service',
			/^Passport OCR is not enabled in region ap-southeast-1 of Custom/,
		],
		['ModelArts.4203', 403, 'service', /^Access denied: give the IAM user permission to use OCR/],
		['APIG.0101', 404, 'project', /^The OCR endpoint does not know this API path/],
		['ModelArts.4403', 503, 'busy', /^The OCR service is unavailable: try again/],
		[
			'Other.0001',
			400,
			'unexpected',
			/^The OCR endpoint answered Other\.0001 to the access key check: odd$/,
		],
	])('reads %s from the service', (code, status, problem, text) => {
		expect(problemOf(refusal(status, code, 'odd'))).toMatchObject({
			problem,
			httpStatus: status,
			message: expect.stringMatching(text),
		});
	});

	it('reads an answer without an error code as the wrong endpoint', () => {
		const problem = problemOf({ statusCode: 502, body: '<html>Bad Gateway</html>' });
		expect(problem?.message).toBe(
			"The OCR endpoint answered HTTP 502 without an error code: check the credential's OCR endpoint",
		);
	});
});

/** n8n's helper as preAuthentication gets it: statuses never throw, network failures reject with the request. */
async function httpRequest(options: IHttpRequestOptions) {
	const response = await axios.request({
		method: options.method,
		url: options.url,
		headers: options.headers as Record<string, string>,
		data: options.body,
		timeout: options.timeout,
		responseType: options.encoding === 'stream' ? 'stream' : 'json',
		signal: options.abortSignal as AbortSignal | undefined,
		validateStatus: () => true,
	});
	return { statusCode: response.status, headers: response.headers, body: response.data as unknown };
}

describe('checkAccessKey against the emulator', () => {
	it('returns the marker for a key the gateway accepts, after one call that is not billed', async () => {
		const emulator = await startEmulator();
		try {
			const [key] = emulator.accounts[0].accessKeys!;
			const projectId = emulator.accounts[0].projects[0].id;
			const checked = await checkAccessKey(
				senderFromHttpRequest(httpRequest),
				{
					...credentialAt(emulator.baseUrl),
					projectId,
					auth: { method: 'accessKey', key: { ...key, projectId } },
				},
				new Redactor([key.secretKey]),
			);
			expect(checked).toBe(accessKeyMarker(key.accessKey));
			expect(checked).not.toContain(key.secretKey);
			expect(emulator.log).toEqual([
				expect.objectContaining({
					kind: 'ocr',
					status: 400,
					errorCode: 'AIS.0101',
					accessKey: key.accessKey,
				}),
			]);
		} finally {
			await emulator.close();
		}
	});

	it('says the endpoint is unreachable, in words, without the request it tried', async () => {
		const error = await checkAccessKey(
			senderFromHttpRequest(httpRequest),
			credentialAt('http://127.0.0.1:9', true),
			new Redactor([TOKEN, 'sk-1']),
		).catch((thrown: unknown) => thrown as IamSignInError);
		expect(error).toBeInstanceOf(IamSignInError);
		expect(error).toMatchObject({
			problem: 'unreachable',
			message:
				"Could not reach the OCR endpoint http://127.0.0.1:9 (the connection was refused): check the credential's cloud and region",
		});
		expect(JSON.stringify(error)).not.toContain(TOKEN);
		expect(JSON.stringify(error)).not.toContain('sk-1');
	});
});
