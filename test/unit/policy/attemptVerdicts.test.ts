import { SERVICE_ERRORS } from '../../../nodes/PassportOcr/contract/serviceErrors';
import {
	judgePassportExchange,
	type Remedy,
} from '../../../nodes/PassportOcr/policy/attemptVerdicts';
import {
	OCR,
	CONTEXT,
	FOUR_MB,
	answer,
	errorAnswer,
	failed,
	PASSPORT_RESULT,
	EVERY_EXCHANGE,
} from './policyFixtures';

describe('judgePassportExchange: answers', () => {
	it('reads a 200 with a result object as success, the request ID from X-Request-Id', () => {
		const verdict = judgePassportExchange(
			answer(200, { result: PASSPORT_RESULT }, { 'X-Request-Id': 'req-42' }),
			CONTEXT,
		);
		expect(verdict).toEqual({
			ok: true,
			response: { result: PASSPORT_RESULT, requestId: 'req-42' },
		});
	});

	it('succeeds without a request ID when the header is missing or empty', () => {
		expect(judgePassportExchange(answer(201, { result: {} }), CONTEXT)).toEqual({
			ok: true,
			response: { result: {}, requestId: undefined },
		});
		expect(
			judgePassportExchange(answer(200, { result: {} }, { 'x-request-id': '' }), CONTEXT),
		).toEqual({ ok: true, response: { result: {}, requestId: undefined } });
	});

	it.each([
		['{}', '{}', 'an answer without a passport result'],
		['an empty body', '', 'an empty answer'],
		['whitespace', '  \n', 'an empty answer'],
		['HTML', '<!doctype html><html><body>Login</body></html>', 'a web page'],
		['broken JSON', '{"result": {"passport_number": ', 'an answer without a passport result'],
		['a result that is an array', '{"result": []}', 'an answer without a passport result'],
		['a result that is text', '{"result": "ok"}', 'an answer without a passport result'],
		['JSON null', 'null', 'an answer without a passport result'],
	])(
		'a 200 with %s is SERVICE.NO_RESULT, retried, and says it is not the Passport API',
		(_, text, what) => {
			const verdict = failed(answer(200, text));
			expect(verdict.remedy).toBe('retry');
			expect(verdict.failure).toMatchObject({
				kind: 'service',
				code: 'SERVICE.NO_RESULT',
				scope: 'item',
				httpStatus: 200,
			});
			expect(verdict.failure.message).toContain('does not look like the Passport API');
			expect(verdict.failure.message).toContain(OCR);
			expect(verdict.failure.message).toContain(what);
		},
	);

	it('quotes the start of an unexpected answer, at most 200 characters', () => {
		const page = `<html>${'x'.repeat(1000)}</html>`;
		const { failure } = failed(answer(200, page));
		expect(failure.description).toBe(`The answer began: ${page.slice(0, 200)}`);
		expect(failed(answer(200, '')).failure.description).toBe('The answer had no body.');
	});

	it.each<[number, string, Remedy]>([
		[404, '', 'stop'],
		[400, '', 'stop'],
		[403, 'Forbidden', 'stop'],
		[405, '<html>Method Not Allowed</html>', 'stop'],
		[502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'retry'],
		[500, '', 'retry'],
		[503, 'Service Unavailable', 'retry'],
		[401, '', 'renew'],
		[429, '', 'throttle'],
		[413, '<html>Request Entity Too Large</html>', 'fail'],
		[302, '', 'stop'],
	])('an HTTP %i without an error code (%j) calls for %s', (status, text, remedy) => {
		const verdict = failed(answer(status, text));
		expect(verdict.remedy).toBe(remedy);
		expect(verdict.failure.code).toBe(status < 300 ? 'SERVICE.NO_RESULT' : `HTTP.${status}`);
		expect(verdict.failure.httpStatus).toBe(status);
		expect(verdict.failure.message).toContain(`HTTP ${status}`);
		expect(verdict.failure.message).toContain('does not look like the Passport API');
		expect(verdict.failure.message).toContain(OCR);
		expect(verdict.failure.scope).toBe(remedy === 'stop' ? 'run' : 'item');
	});

	it('names a web page as such in a 502', () => {
		expect(failed(answer(502, '<html>Bad Gateway</html>')).failure.message).toContain(
			'with a web page',
		);
		expect(failed(answer(404, '')).failure.message).toContain('with an empty answer');
		expect(failed(answer(400, '{"a":1}')).failure.message).toContain(
			'with an answer without an error code',
		);
	});
});

describe('judgePassportExchange: documented error codes', () => {
	const expectedRemedy: Record<string, Remedy> = {
		'fix-item': 'fail',
		'fix-setup': 'stop',
		reauthenticate: 'renew',
		retry: 'retry',
	};
	const throttling = new Set(['APIG.0308', 'ModelArts.4401']);

	it('covers every documented code', () => {
		expect(Object.keys(SERVICE_ERRORS).length).toBeGreaterThan(30);
	});

	it.each(Object.entries(SERVICE_ERRORS))(
		'%s calls for the remedy its entry documents',
		(code, entry) => {
			const verdict = failed(
				errorAnswer(400, code, 'the service text', { 'X-Request-Id': 'r-9', 'Retry-After': '3' }),
			);
			const remedy = throttling.has(code) ? 'throttle' : expectedRemedy[entry.remedy];
			expect(verdict.remedy).toBe(remedy);
			expect(verdict.failure).toEqual({
				kind: 'service',
				code,
				message: entry.message(CONTEXT),
				description: `The service answered ${code}: the service text`,
				scope: remedy === 'stop' ? 'run' : 'item',
				httpStatus: 400,
				serviceMessage: 'the service text',
				requestId: 'r-9',
				retryAfterSeconds: 3,
			});
			expect(verdict.failure.message).not.toBe('');
		},
	);

	it('gives the region in the message of ModelArts.4204', () => {
		expect(failed(errorAnswer(403, 'ModelArts.4204')).failure.message).toContain(CONTEXT.where);
	});

	it.each([
		['APIG.0308', 429],
		['APIG.0308', 400],
		['ModelArts.4401', 429],
		['ModelArts.4401', 403],
		['APIGW.0308', 429],
		['AIS.0104', 429],
		['XYZ.0001', 429],
	])('%s with HTTP %i is throttling, with Retry-After', (code, status) => {
		const verdict = failed(errorAnswer(status, code, 'over ratelimit', { 'retry-after': '17' }));
		expect(verdict.remedy).toBe('throttle');
		expect(verdict.failure.scope).toBe('item');
		expect(verdict.failure.retryAfterSeconds).toBe(17);
	});

	it('reads Retry-After whatever its case, an array, and ignores a date or a negative value', () => {
		expect(
			failed(errorAnswer(429, 'APIG.0308', 'x', { 'RETRY-AFTER': ['5'] })).failure
				.retryAfterSeconds,
		).toBe(5);
		expect(
			failed(errorAnswer(429, 'APIG.0308', 'x', { 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' }))
				.failure.retryAfterSeconds,
		).toBeUndefined();
		expect(
			failed(errorAnswer(429, 'APIG.0308', 'x', { 'Retry-After': '-1' })).failure.retryAfterSeconds,
		).toBeUndefined();
		expect(failed(errorAnswer(429, 'APIG.0308')).failure.retryAfterSeconds).toBeUndefined();
	});

	it('reads the APIGW.xxxx spelling as APIG.xxxx', () => {
		const verdict = failed(
			errorAnswer(401, 'APIGW.0301', 'Incorrect IAM authentication information'),
		);
		expect(verdict.remedy).toBe('renew');
		expect(verdict.failure.code).toBe('APIG.0301');
		expect(verdict.failure.message).toBe(SERVICE_ERRORS['APIG.0301'].message(CONTEXT));
		expect(verdict.failure.description).toContain('APIGW.0301');
		expect(failed(errorAnswer(404, 'APIGW.0101')).remedy).toBe('stop');
	});

	it('fails only the item on a 413, whatever the code documents', () => {
		for (const code of ['APIG.0201', 'ModelArts.4203', 'APIG.0301', 'ModelArts.4104', 'XYZ.0001']) {
			const verdict = failed(errorAnswer(413, code));
			expect(verdict.remedy).toBe('fail');
			expect(verdict.failure.scope).toBe('item');
		}
	});

	it.each<[number, Remedy]>([
		[500, 'retry'],
		[503, 'retry'],
		[504, 'retry'],
		[400, 'stop'],
		[403, 'stop'],
		[404, 'stop'],
		[401, 'renew'],
		[413, 'fail'],
	])(
		'an undocumented code with HTTP %i calls for %s and keeps the code as sent',
		(status, remedy) => {
			const verdict = failed(errorAnswer(status, 'Unknown.7777', 'something odd'));
			expect(verdict.remedy).toBe(remedy);
			expect(verdict.failure.code).toBe('Unknown.7777');
			expect(verdict.failure.message).toBe('The OCR service answered Unknown.7777: something odd');
			expect(verdict.failure.description).toContain('not in the documented list');
			expect(verdict.failure.scope).toBe(remedy === 'stop' ? 'run' : 'item');
		},
	);

	it('says "no message" for a code without one and reads nested, IAM-style bodies', () => {
		const bare = failed(answer(502, { error_code: 'Unknown.1' }));
		expect(bare.remedy).toBe('retry');
		expect(bare.failure.message).toBe('The OCR service answered Unknown.1: no message');
		const iam = failed(
			answer(401, {
				error: { code: 401, title: 'Unauthorized', message: 'The token is expired.' },
			}),
		);
		expect(iam.remedy).toBe('renew');
		expect(iam.failure.code).toBe('401');
		expect(iam.failure.serviceMessage).toBe('The token is expired.');
	});

	it('prefers the X-Request-Id header to the body, and uses the body when the header is missing', () => {
		const body = { error_code: 'AIS.0104', error_msg: 'x', request_id: 'from-body' };
		expect(failed(answer(400, body, { 'x-request-id': 'from-header' })).failure.requestId).toBe(
			'from-header',
		);
		expect(failed(answer(400, body)).failure.requestId).toBe('from-body');
	});

	it("leaves the gateway's echoed canonical request out of the service message", () => {
		const verdict = failed(
			errorAnswer(
				401,
				'APIG.0303',
				'verify aksk signature fail, canonicalRequest:POST|/v2/p/ocr/passport|x-security-token:tok',
			),
		);
		expect(verdict.failure.serviceMessage).toBe(
			'verify aksk signature fail, canonicalRequest: (left out)',
		);
		expect(JSON.stringify(verdict)).not.toContain('x-security-token');
	});
});

describe('judgePassportExchange: exchanges without an answer', () => {
	it('retries a timeout, naming the timeout in seconds', () => {
		const verdict = failed({ kind: 'timeout', timeoutMs: 2500 });
		expect(verdict.remedy).toBe('retry');
		expect(verdict.failure).toMatchObject({
			code: 'NETWORK.TIMEOUT',
			scope: 'item',
			kind: 'service',
		});
		expect(verdict.failure.message).toContain('(2.5 s)');
		expect(failed({ kind: 'timeout', timeoutMs: 60_000 }).failure.message).toContain('(60 s)');
	});

	it.each(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH'])(
		'stops the run on %s, naming the endpoint',
		(code) => {
			const verdict = failed({ kind: 'network', code });
			expect(verdict.remedy).toBe('stop');
			expect(verdict.failure).toMatchObject({ code: `NETWORK.${code}`, scope: 'run' });
			expect(verdict.failure.message).toContain(OCR);
		},
	);

	it.each(['ECONNRESET', 'EPIPE', 'EAI_AGAIN'])('retries on %s', (code) => {
		const verdict = failed({ kind: 'network', code });
		expect(verdict.remedy).toBe('retry');
		expect(verdict.failure).toMatchObject({ code: `NETWORK.${code}`, scope: 'item' });
	});

	it.each(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT'])(
		"reads %s as a timeout, with the context's Timeout",
		(code) => {
			const verdict = failed({ kind: 'network', code }, { ...CONTEXT, timeoutMs: 7000 });
			expect(verdict.remedy).toBe('retry');
			expect(verdict.failure.code).toBe('NETWORK.TIMEOUT');
			expect(verdict.failure.message).toContain('(7 s)');
		},
	);

	it('stops the run on a certificate that is not accepted, with the code in the message', () => {
		const verdict = failed({ kind: 'tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
		expect(verdict.remedy).toBe('stop');
		expect(verdict.failure).toMatchObject({
			code: 'TLS.ERR_TLS_CERT_ALTNAME_INVALID',
			scope: 'run',
		});
		expect(verdict.failure.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
		expect(verdict.failure.message).toContain(OCR);
	});

	it('stops the run on an oversized answer, mentioning 4 MB', () => {
		const verdict = failed({ kind: 'oversize', status: 200, limitBytes: FOUR_MB });
		expect(verdict.remedy).toBe('stop');
		expect(verdict.failure).toMatchObject({
			code: 'SERVICE.ANSWER_TOO_LARGE',
			scope: 'run',
			httpStatus: 200,
		});
		expect(verdict.failure.message).toContain('4 MB');
		expect(verdict.failure.message).toContain('does not look like the Passport API');
		expect(verdict.failure.message).toContain(OCR);
	});

	it('stops on a cancelled attempt with RUN.STOPPED', () => {
		const verdict = failed({ kind: 'cancelled' });
		expect(verdict.remedy).toBe('stop');
		expect(verdict.failure).toMatchObject({ code: 'RUN.STOPPED', scope: 'run' });
	});

	it('retries a busy sign-in and stops on any other sign-in problem, as IAM.<PROBLEM>', () => {
		const busy = failed({
			kind: 'sign-in',
			problem: 'busy',
			message: 'IAM is busy',
			httpStatus: 503,
		});
		expect(busy.remedy).toBe('retry');
		expect(busy.failure).toMatchObject({
			kind: 'service',
			code: 'IAM.BUSY',
			message: 'IAM is busy',
			scope: 'item',
			httpStatus: 503,
		});
		for (const problem of [
			'credentials',
			'project',
			'clock',
			'service',
			'unreachable',
			'unexpected',
		] as const) {
			const verdict = failed({ kind: 'sign-in', problem, message: `bad ${problem}` });
			expect(verdict.remedy).toBe('stop');
			expect(verdict.failure).toMatchObject({
				kind: 'input',
				code: `IAM.${problem.toUpperCase()}`,
				message: `bad ${problem}`,
				scope: 'run',
			});
		}
	});

	it('stops when the request could not be sent, with the reason in the description', () => {
		const verdict = failed({ kind: 'not-sent', reason: 'Invalid URL' });
		expect(verdict.remedy).toBe('stop');
		expect(verdict.failure).toMatchObject({ code: 'REQUEST.NOT_SENT', scope: 'run' });
		expect(verdict.failure.description).toContain('Invalid URL');
	});

	it.each(EVERY_EXCHANGE)(
		'%s: scope is run exactly when the remedy is stop, and the message is not empty',
		(_, exchange) => {
			const verdict = failed(exchange);
			expect(verdict.failure.scope).toBe(verdict.remedy === 'stop' ? 'run' : 'item');
			expect(verdict.failure.message.trim()).not.toBe('');
			expect(verdict.failure.code.trim()).not.toBe('');
		},
	);
});
