import { passportResultOf } from '../../../nodes/PassportOcr/contract/passportApi';
import { headerValue, readAnswer } from '../../../nodes/PassportOcr/transport/answer';

describe('readAnswer', () => {
	it('parses the body once and keeps the text as it came', () => {
		const answer = readAnswer(200, {}, '{"result":{"surname":"ERIKSSON"}}');
		expect(answer).toMatchObject({
			kind: 'answer',
			status: 200,
			text: '{"result":{"surname":"ERIKSSON"}}',
			body: { result: { surname: 'ERIKSSON' } },
			error: {},
		});
	});

	it('keeps text that is not JSON as the body', () => {
		expect(readAnswer(502, {}, '<html>Bad Gateway</html>').body).toBe('<html>Bad Gateway</html>');
		expect(readAnswer(200, {}, '{"res').body).toBe('{"res');
	});

	it('reads the request ID of the X-Request-Id header, whatever its case', () => {
		expect(readAnswer(400, { 'X-Request-ID': 'r-1' }, '').requestId).toBe('r-1');
		expect(readAnswer(400, {}, '').requestId).toBeUndefined();
	});

	it('reads the error in each of Huawei Cloud shapes, a gateway request ID from the body', () => {
		expect(
			readAnswer(
				400,
				{},
				'{"error_code":"AIS.0103","error_msg":"The image size does not meet the requirements."}',
			).error,
		).toEqual({
			code: 'AIS.0103',
			message: 'The image size does not meet the requirements.',
			requestId: undefined,
		});
		expect(
			readAnswer(
				401,
				{},
				'{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}',
			).error,
		).toMatchObject({ code: '401', message: 'The username or password is wrong.' });
		expect(
			readAnswer(429, {}, '{"error_code":"APIGW.0308","error_msg":"throttled","request_id":"g-9"}')
				.error,
		).toEqual({ code: 'APIGW.0308', message: 'throttled', requestId: 'g-9' });
	});

	it('never keeps a canonical request the gateway echoed in its message', () => {
		const text = JSON.stringify({
			error_code: 'APIGW.0301',
			error_msg:
				'verify aksk signature fail, canonicalRequest: POST\n/v2/p/ocr/passport\nx-security-token:secret',
		});
		const { error } = readAnswer(401, {}, text);
		expect(error.message).toBe('verify aksk signature fail, canonicalRequest: (left out)');
	});

	it.each([
		[{ 'Retry-After': '3' }, 3],
		[{ 'retry-after': 0 }, 0],
		[{ 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' }, undefined],
		[{ 'Retry-After': '-1' }, undefined],
		[{}, undefined],
	])('reads Retry-After %j as %j seconds', (headers, seconds) => {
		expect(readAnswer(429, headers, '').retryAfterSeconds).toBe(seconds);
	});
});

describe('headerValue', () => {
	it('finds a header whatever its case, the first of a list, and numbers as text', () => {
		expect(headerValue({ 'Content-Length': 12 }, 'content-length')).toBe('12');
		expect(headerValue({ 'x-request-id': ['a', 'b'] }, 'X-Request-Id')).toBe('a');
		expect(headerValue({ 'x-request-id': '' }, 'X-Request-Id')).toBeUndefined();
	});
});

describe('passportResultOf', () => {
	it('finds the result object of a parsed answer', () => {
		expect(passportResultOf({ result: { surname: 'ERIKSSON' } })).toEqual({ surname: 'ERIKSSON' });
	});

	it.each([
		undefined,
		'',
		'<html></html>',
		{},
		{ result: null },
		{ result: [1] },
		{ result: 'text' },
	])('finds no result in %j', (body) => {
		expect(passportResultOf(body)).toBeUndefined();
	});
});
