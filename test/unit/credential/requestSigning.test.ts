/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import axios from 'axios';

import {
	MAX_CLOCK_SKEW_MS,
	canonicalQueryString,
	canonicalRequest,
	canonicalUri,
	formatSdkDate,
	parseAuthorization,
	parseSdkDate,
	signRequest,
	stringToSign,
	type SignableRequest,
	type SigningKey,
} from '../../../nodes/PassportOcr/credential/requestSigning';
import { verifySignature, type ReceivedRequest } from '../../emulator/signatureVerifier';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** What a server sees: lower-case header names, the request target without scheme and host, body bytes. */
function asReceived(request: SignableRequest, added: Record<string, string>): ReceivedRequest {
	const url = new URL(request.url);
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries({ ...request.headers, ...added })) {
		headers[name.toLowerCase()] = value;
	}
	const body =
		typeof request.body === 'string' ? new TextEncoder().encode(request.body) : request.body;
	return { method: request.method, url: url.pathname + url.search, headers, body };
}

describe('formatSdkDate / parseSdkDate', () => {
	it('writes UTC YYYYMMDDTHHMMSSZ and drops milliseconds', () => {
		expect(formatSdkDate(new Date('2019-11-15T03:36:55.987Z'))).toBe('20191115T033655Z');
		expect(formatSdkDate(new Date('2020-06-08T10:39:00+08:00'))).toBe('20200608T023900Z');
	});

	it('refuses an invalid date', () => {
		expect(() => formatSdkDate(new Date(Number.NaN))).toThrow(RangeError);
	});

	it('reads back what it writes and rejects impossible or differently shaped times', () => {
		expect(parseSdkDate('20191115T033655Z')?.toISOString()).toBe('2019-11-15T03:36:55.000Z');
		expect(parseSdkDate('20191332T000000Z')).toBeUndefined();
		expect(parseSdkDate('20191115T033655')).toBeUndefined();
		expect(parseSdkDate('2019-11-15T03:36:55Z')).toBeUndefined();
	});
});

describe('vector A: the API signing guide worked example', () => {
	const request: SignableRequest = {
		method: 'GET',
		url: 'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
		headers: { 'Content-Type': 'application/json' },
		body: '',
	};
	// The guide's published example pair: public documentation, not a credential.
	const docsExample = {
		ak: 'QTWAOYTTINDUT2QVKYUC',
		sk: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc',
	};
	const key: SigningKey = { accessKey: docsExample.ak, secretKey: docsExample.sk };
	const now = new Date('2019-11-15T03:36:55Z');

	it('builds the documented canonical request', () => {
		const canonical = canonicalRequest(
			{
				...request,
				headers: {
					...request.headers,
					Host: 'service.region.example.com',
					'X-Sdk-Date': '20191115T033655Z',
				},
			},
			['content-type', 'host', 'x-sdk-date'],
		);
		expect(canonical).toBe(
			[
				'GET',
				'/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/',
				'limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
				'content-type:application/json',
				'host:service.region.example.com',
				'x-sdk-date:20191115T033655Z',
				'',
				'content-type;host;x-sdk-date',
				EMPTY_BODY_SHA256,
			].join('\n'),
		);
		expect(sha256Hex(canonical)).toBe(
			'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a',
		);
		expect(stringToSign('20191115T033655Z', canonical)).toBe(
			'SDK-HMAC-SHA256\n20191115T033655Z\n' +
				'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a',
		);
	});

	it('signs to the documented Authorization and adds Host and X-Sdk-Date', () => {
		expect(signRequest(request, key, now)).toEqual({
			'X-Sdk-Date': '20191115T033655Z',
			Host: 'service.region.example.com',
			Authorization:
				'SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, ' +
				'Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
		});
	});

	it('verifies the documented request as received', () => {
		const received = asReceived(request, signRequest(request, key, now));
		expect(verifySignature(received, key.secretKey, now)).toEqual({ ok: true });
	});
});

describe('vectors B: Python SDK tests/test_signer.py', () => {
	const key: SigningKey = { accessKey: 'AccessKey', secretKey: 'SecretKey' };
	const now = new Date('2020-06-08T02:39:00Z');
	const url = 'https://service.endpoint.myhuaweicloud.com/resources?size=1';
	const cases = [
		{
			method: 'GET',
			body: '',
			signature: 'cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842',
		},
		{
			method: 'POST',
			body: '{"name":"test","id":1}',
			signature: '436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f',
		},
	];

	// The SDK leaves the TEST_UNDERSCORE header out of the signature (it skips names with `_`), while
	// signRequest signs every header it is given. So the signer gets exactly the headers the vector signs.
	it.each(cases)('$method: signing the headers the vector signs gives its signature', (vector) => {
		const added = signRequest(
			{ method: vector.method, url, headers: {}, body: vector.body },
			key,
			now,
		);
		expect(added.Authorization).toBe(
			`SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=${vector.signature}`,
		);
	});

	// The request the SDK actually sends carries TEST_UNDERSCORE unsigned; the verifier must accept it.
	it.each(cases)(
		'$method: the SDK request with its unsigned underscore header verifies',
		(vector) => {
			const received: ReceivedRequest = {
				method: vector.method,
				url: '/resources?size=1',
				headers: {
					host: 'service.endpoint.myhuaweicloud.com',
					'x-sdk-date': '20200608T023900Z',
					test_underscore: 'TEST_VALUE',
					authorization: `SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=${vector.signature}`,
				},
				body: new TextEncoder().encode(vector.body),
			};
			expect(verifySignature(received, key.secretKey, now)).toEqual({ ok: true });
		},
	);

	it('canonical query string matches the SDK test_process_canonical_query_string', () => {
		const query =
			'limit=1&enable=true&test=%E4%B8%80%20(%26%3D%3F!%23%25.*)&path=/tmp/123&multi=3&multi=1&multi=2';
		expect(canonicalQueryString(query)).toBe(
			'enable=true&limit=1&multi=1&multi=2&multi=3' +
				'&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29',
		);
	});
});

describe('vector C: G42 Go SDK signer_test.go', () => {
	// G42-GO signs only x-sdk-date (no Host, Content-Type skipped). Its expected signatures cover an empty
	// query string (the test harness drops the query params), and Go's json.Encoder ends the body with "\n".
	const now = new Date('2006-01-02T15:04:05Z');
	const cases = [
		{
			method: 'GET',
			headers: {},
			body: '',
			signature: 'eb70b3a0caf6633a8b8e4317622d8a0f6819821ec84896ceb7739a57e2d9ed76',
		},
		{
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"Name":"test","Id":1}\n',
			signature: '7f587e76874c5079f7e98769ab285ee75bea28e30110ab10dec4fc4d12c32f62',
		},
	];

	it.each(cases)('$method: the shared pieces reproduce the signature', (vector) => {
		const canonical = canonicalRequest(
			{
				method: vector.method,
				url: '/path',
				headers: { ...vector.headers, 'X-Sdk-Date': '20060102T150405Z' },
				body: vector.body,
			},
			['x-sdk-date'],
		);
		const signature = createHmac('sha256', 'SecretKey')
			.update(stringToSign('20060102T150405Z', canonical))
			.digest('hex');
		expect(signature).toBe(vector.signature);
	});

	it.each(cases)('$method: the verifier accepts it with only x-sdk-date signed', (vector) => {
		const received: ReceivedRequest = {
			method: vector.method,
			url: '/path',
			headers: {
				...vector.headers,
				host: 'example.g42cloud.com',
				'x-sdk-date': '20060102T150405Z',
				authorization: `SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=${vector.signature}`,
			},
			body: new TextEncoder().encode(vector.body),
		};
		expect(verifySignature(received, 'SecretKey', now)).toEqual({ ok: true });
	});
});

describe('canonical URI and query', () => {
	it.each([
		['/v2/pid/ocr/passport', '/v2/pid/ocr/passport/'],
		['/v2/pid/ocr/passport/', '/v2/pid/ocr/passport/'],
		['', '/'],
		['/', '/'],
		['/v2/fgs/functions/urn:fss:my fn', '/v2/fgs/functions/urn%3Afss%3Amy%20fn/'],
		['/v2/fgs/functions/urn%3Afss%3Amy%20fn', '/v2/fgs/functions/urn%3Afss%3Amy%20fn/'],
		['/a/%e4%b8%80~_.-/b', '/a/%E4%B8%80~_.-/b/'],
		['/a/100%/b', '/a/100%25/b/'],
	])('%s → %s', (path, expected) => {
		expect(canonicalUri(path)).toBe(expected);
	});

	it('renders an empty value with "=", keeps "+" literal and sorts by name, then value', () => {
		expect(canonicalQueryString('b=2&flag&a=x+y&b=1&&')).toBe('a=x%2By&b=1&b=2&flag=');
		expect(canonicalQueryString('')).toBe('');
	});

	it('gives one signature whether the path arrives raw or already encoded', () => {
		const key = { accessKey: 'ak', secretKey: 'sk' };
		const now = new Date('2024-01-01T00:00:00Z');
		const sign = (url: string) =>
			signRequest({ method: 'DELETE', url, headers: {}, body: '' }, key, now).Authorization;
		expect(sign('https://fgs.example.com/v2/p/fns/urn:fss:my fn')).toBe(
			sign('https://fgs.example.com/v2/p/fns/urn%3Afss%3Amy%20fn'),
		);
	});
});

describe('signRequest', () => {
	const key: SigningKey = { accessKey: 'ak', secretKey: 'sk' };
	const now = new Date('2024-05-01T12:00:00Z');
	const request: SignableRequest = {
		method: 'POST',
		url: 'https://ocr.ap-southeast-1.myhuaweicloud.com/v2/pid/ocr/passport',
		headers: { 'Content-Type': 'application/json;charset=UTF-8' },
		body: '{"image":"aGk="}',
	};

	it('signs X-Project-Id and X-Security-Token when the key has them', () => {
		const added = signRequest(request, { ...key, projectId: 'pid', securityToken: 'tok' }, now);
		expect(added['X-Project-Id']).toBe('pid');
		expect(added['X-Security-Token']).toBe('tok');
		expect(parseAuthorization(added.Authorization)?.signedHeaders).toEqual([
			'content-type',
			'host',
			'x-project-id',
			'x-sdk-date',
			'x-security-token',
		]);
		expect(verifySignature(asReceived(request, added), key.secretKey, now)).toEqual({ ok: true });
	});

	it('signs each call afresh from now', () => {
		const first = signRequest(request, key, now);
		const retry = signRequest(request, key, new Date(now.getTime() + 2000));
		expect(retry['X-Sdk-Date']).toBe('20240501T120002Z');
		expect(retry.Authorization).not.toBe(first.Authorization);
	});

	it('takes host[:port] from the url and keeps a Host header given by the caller', () => {
		const at = (url: string) => signRequest({ ...request, url }, key, now).Host;
		expect(at('http://127.0.0.1:8080/v2/pid/ocr/passport')).toBe('127.0.0.1:8080');
		expect(at('https://ocr.example.com:443/v2/pid/ocr/passport')).toBe('ocr.example.com');
		const given = signRequest({ ...request, headers: { host: 'front.example.com' } }, key, now);
		expect(given.Host).toBeUndefined();
		expect(parseAuthorization(given.Authorization)?.signedHeaders).toEqual(['host', 'x-sdk-date']);
	});

	it('hashes the body bytes, so a string and its UTF-8 bytes sign alike', () => {
		const text = '{"name":"Zoë 李"}';
		const fromString = signRequest({ ...request, body: text }, key, now);
		const fromBytes = signRequest({ ...request, body: new TextEncoder().encode(text) }, key, now);
		expect(fromBytes.Authorization).toBe(fromString.Authorization);
	});

	it('uses X-Sdk-Content-Sha256 in place of the body hash', () => {
		const unsigned = {
			...request,
			headers: { ...request.headers, 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' },
		};
		const added = signRequest(unsigned, key, now);
		const received = asReceived(unsigned, added);
		const signedHeaders = parseAuthorization(added.Authorization)?.signedHeaders ?? [];
		expect(canonicalRequest(received, signedHeaders).endsWith('\nUNSIGNED-PAYLOAD')).toBe(true);
		received.body = new TextEncoder().encode('{"image":"other"}');
		expect(verifySignature(received, key.secretKey, now)).toEqual({ ok: true });
	});

	it.each(['X-Sdk-Date', 'authorization', 'X-PROJECT-ID', 'x-security-token'])(
		'refuses a caller-set %s header',
		(name) => {
			const withOwned = { ...request, headers: { [name]: 'stale' } };
			expect(() => signRequest(withOwned, key, now)).toThrow(/set by the signer/);
		},
	);

	it('refuses a relative url, an empty key and header names given twice', () => {
		expect(() => signRequest({ ...request, url: '/v2/pid/ocr/passport' }, key, now)).toThrow(
			/absolute URL/,
		);
		expect(() => signRequest(request, { accessKey: 'ak', secretKey: '' }, now)).toThrow(/empty/);
		const twice = { ...request, headers: { 'content-type': 'a', 'Content-Type': 'b' } };
		expect(() => signRequest(twice, key, now)).toThrow(/more than once/);
	});
});

describe('parseAuthorization', () => {
	const signature = 'ab'.repeat(32);

	it('reads the access key, signed headers and signature', () => {
		expect(
			parseAuthorization(
				`SDK-HMAC-SHA256 Access=ak1, SignedHeaders=host;x-sdk-date, Signature=${signature}`,
			),
		).toEqual({ accessKey: 'ak1', signedHeaders: ['host', 'x-sdk-date'], signature });
	});

	it.each([
		'',
		`SDK-HMAC-SM3 Access=ak1, SignedHeaders=host;x-sdk-date, Signature=${signature}`,
		`SDK-HMAC-SHA256 Access=ak1, SignedHeaders=host;x-sdk-date, Signature=${signature.slice(2)}`,
		`SDK-HMAC-SHA256 Access=ak1, SignedHeaders=host;X-Sdk-Date, Signature=${signature}`,
		`SDK-HMAC-SHA256 Access=ak1, SignedHeaders=host;;x-sdk-date, Signature=${signature}`,
		`SDK-HMAC-SHA256 Access=ak1, Signature=${signature}`,
		`Bearer ${signature}`,
	])('rejects %p', (header) => {
		expect(parseAuthorization(header)).toBeUndefined();
	});
});

describe('verifySignature', () => {
	const key: SigningKey = { accessKey: 'ak', secretKey: 'sk' };
	const signedAt = new Date('2024-05-01T12:00:00Z');
	const request: SignableRequest = {
		method: 'POST',
		url: 'https://ocr.example.com/v2/pid/ocr/passport',
		headers: { 'Content-Type': 'application/json;charset=UTF-8', 'User-Agent': 'test' },
		body: '{"image":"aGk="}',
	};
	const received = () => asReceived(request, signRequest(request, key, signedAt));
	const minutes = (n: number) => new Date(signedAt.getTime() + n * 60_000);

	it('accepts an untouched request and one whose unsigned headers changed', () => {
		expect(verifySignature(received(), key.secretKey, signedAt)).toEqual({ ok: true });
		const extra = received();
		extra.headers = { ...extra.headers, 'content-length': '16', connection: 'close' };
		expect(verifySignature(extra, key.secretKey, signedAt)).toEqual({ ok: true });
	});

	it('reports a wrong secret as a mismatch with its canonical request', () => {
		const result = verifySignature(received(), 'other', signedAt);
		expect(result).toEqual({
			ok: false,
			reason: 'mismatch',
			canonicalRequest: [
				'POST',
				'/v2/pid/ocr/passport/',
				'',
				'content-type:application/json;charset=UTF-8',
				'host:ocr.example.com',
				'user-agent:test',
				'x-sdk-date:20240501T120000Z',
				'',
				'content-type;host;user-agent;x-sdk-date',
				sha256Hex('{"image":"aGk="}'),
			].join('\n'),
		});
	});

	it('rejects a changed body byte', () => {
		const changed = received();
		changed.body = Uint8Array.from(changed.body);
		changed.body[3] ^= 1;
		expect(verifySignature(changed, key.secretKey, signedAt)).toMatchObject({ reason: 'mismatch' });
	});

	it('rejects a changed signed header, path or query', () => {
		const header = received();
		header.headers = { ...header.headers, 'content-type': 'application/json' };
		expect(verifySignature(header, key.secretKey, signedAt)).toMatchObject({ reason: 'mismatch' });
		const path = { ...received(), url: '/v2/other/ocr/passport' };
		expect(verifySignature(path, key.secretKey, signedAt)).toMatchObject({ reason: 'mismatch' });
		const query = { ...received(), url: '/v2/pid/ocr/passport?x=1' };
		expect(verifySignature(query, key.secretKey, signedAt)).toMatchObject({ reason: 'mismatch' });
	});

	it('rejects a date more than 15 minutes either side of now, and allows exactly 15', () => {
		expect(MAX_CLOCK_SKEW_MS).toBe(15 * 60_000);
		expect(verifySignature(received(), key.secretKey, minutes(16))).toEqual({
			ok: false,
			reason: 'expired',
		});
		expect(verifySignature(received(), key.secretKey, minutes(-16))).toMatchObject({
			reason: 'expired',
		});
		expect(verifySignature(received(), key.secretKey, minutes(15))).toEqual({ ok: true });
		expect(verifySignature(received(), key.secretKey, minutes(2), 60_000)).toMatchObject({
			reason: 'expired',
		});
	});

	it('reports missing and malformed authentication headers', () => {
		const without = (name: string) => {
			const request = received();
			const headers = { ...request.headers };
			delete headers[name];
			return { ...request, headers };
		};
		const withHeaders = (headers: Record<string, string>) => {
			const request = received();
			return { ...request, headers: { ...request.headers, ...headers } };
		};
		const signature = 'ab'.repeat(32);
		const reasonFor = (request: ReceivedRequest) => {
			const result = verifySignature(request, key.secretKey, signedAt);
			return result.ok ? 'ok' : result.reason;
		};

		expect(reasonFor(without('authorization'))).toBe('missing');
		expect(reasonFor(without('x-sdk-date'))).toBe('missing');
		expect(reasonFor(without('user-agent'))).toBe('malformed');
		expect(reasonFor(withHeaders({ authorization: 'Bearer abc' }))).toBe('malformed');
		expect(reasonFor(withHeaders({ 'x-sdk-date': '2024-05-01T12:00:00Z' }))).toBe('malformed');
		expect(
			reasonFor(
				withHeaders({
					authorization: `SDK-HMAC-SHA256 Access=ak, SignedHeaders=host, Signature=${signature}`,
				}),
			),
		).toBe('malformed');
	});
});

describe('over a real loopback HTTP exchange', () => {
	let server: Server;
	let lastResult: unknown;

	const readBody = async (message: IncomingMessage) => {
		const chunks: Buffer[] = [];
		for await (const chunk of message) chunks.push(chunk as Buffer);
		return new Uint8Array(Buffer.concat(chunks));
	};

	beforeAll(async () => {
		server = createServer((req, res) => {
			void readBody(req).then((body) => {
				lastResult = verifySignature(
					{ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body },
					'sk',
					new Date(),
				);
				res.end();
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	});

	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});

	it('a request signed for axios verifies on the server as sent', async () => {
		const { port } = server.address() as AddressInfo;
		const request: SignableRequest = {
			method: 'POST',
			url: `http://127.0.0.1:${port}/v2/p id/ocr/passport?b=2&a=1`,
			headers: { 'Content-Type': 'application/json;charset=UTF-8' },
			body: JSON.stringify({ image: 'aGk=', name: 'Zoë' }),
		};
		const added = signRequest(
			request,
			{ accessKey: 'ak', secretKey: 'sk', projectId: 'p', securityToken: 't' },
			new Date(),
		);
		await axios.post(request.url, request.body, { headers: { ...request.headers, ...added } });
		expect(lastResult).toEqual({ ok: true });
	});
});
