import {
	parseBody,
	readErrorBody,
	withoutCanonicalRequest,
} from '../../../nodes/PassportOcr/transport/errorBody';

describe('readErrorBody', () => {
	it.each([
		[
			{ error_code: 'AIS.0103', error_msg: 'The image size does not meet the requirements.' },
			'AIS.0103',
			'The image size does not meet the requirements.',
		],
		[{ errorCode: 'APIG.0308', errorMsg: 'over ratelimit' }, 'APIG.0308', 'over ratelimit'],
		[{ code: 'X.1', message: 'plain' }, 'X.1', 'plain'],
		[
			{
				error: { code: 401, title: 'Unauthorized', message: 'The username or password is wrong.' },
			},
			'401',
			'The username or password is wrong.',
		],
	])('reads %j', (body, code, message) => {
		expect(readErrorBody(body)).toMatchObject({ code, message });
	});

	it('reads the gateway request id and JSON that arrived as text', () => {
		const text = JSON.stringify({
			error_code: 'APIGW.0301',
			error_msg: 'decrypt token fail',
			request_id: 'r-1',
		});
		expect(readErrorBody(text)).toEqual({
			code: 'APIGW.0301',
			message: 'decrypt token fail',
			requestId: 'r-1',
		});
		expect(readErrorBody(Buffer.from(text))).toEqual({
			code: 'APIGW.0301',
			message: 'decrypt token fail',
			requestId: 'r-1',
		});
	});

	it('gives nothing for HTML, arrays and empty bodies', () => {
		expect(readErrorBody('<html><body>502 Bad Gateway</body></html>')).toEqual({});
		expect(readErrorBody([1, 2])).toEqual({});
		expect(readErrorBody(undefined)).toEqual({});
		expect(parseBody('{"broken": ')).toBe('{"broken": ');
	});
});

describe('withoutCanonicalRequest', () => {
	it('leaves out the echoed canonical request and keeps the rest', () => {
		expect(
			withoutCanonicalRequest(
				'verify aksk signature fail, canonicalRequest:POST|/|x-security-token:temporary-token',
			),
		).toBe('verify aksk signature fail, canonicalRequest: (left out)');
		expect(withoutCanonicalRequest('ak AK1 not exist')).toBe('ak AK1 not exist');
	});
});
