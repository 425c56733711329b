import fc from 'fast-check';

import type { ItemFailure } from '../../../nodes/PassportOcr/contract/itemFailure';
import { SERVICE_ERRORS } from '../../../nodes/PassportOcr/contract/serviceErrors';
import {
	backoffMs,
	judgeAccessProbe,
	judgePassportExchange,
	judgeSignInRefusal,
	networkReason,
	nextStep,
	throttlePauseMs,
	unansweredSignIn,
	type FailureContext,
	type ItemHistory,
	type Remedy,
	type SignInContext,
	type Timing,
	type Verdict,
} from '../../../nodes/PassportOcr/policy/attemptVerdicts';
import type { Answer, Exchange } from '../../../nodes/PassportOcr/transport/exchange';

const OCR = 'https://ocr.ap-southeast-1.myhuaweicloud.com';
const CONTEXT: FailureContext = {
	where: 'region ap-southeast-1 of Huawei Cloud (International)',
	ocrBaseUrl: OCR,
	timeoutMs: 20_000,
};
const SIGN_IN: SignInContext = {
	iamBaseUrl: 'https://iam.ap-southeast-1.myhuaweicloud.com',
	region: 'ap-southeast-1',
	projectId: '0123456789abcdef0123456789abcdef',
};
const FOUR_MB = 4 * 1024 * 1024;

function answer(status: number, body: unknown = '', headers: Record<string, unknown> = {}): Answer {
	return {
		kind: 'answer',
		status,
		headers,
		text: typeof body === 'string' ? body : JSON.stringify(body),
	};
}

const errorAnswer = (status: number, code: string, message = 'service says no', headers = {}) =>
	answer(status, { error_code: code, error_msg: message }, headers);

type Failed = Extract<Verdict, { ok: false }>;

function failed(exchange: Exchange, context: FailureContext = CONTEXT): Failed {
	const verdict = judgePassportExchange(exchange, context);
	if (verdict.ok) throw new Error(`expected a failure, got ${JSON.stringify(verdict)}`);
	return verdict;
}

const PASSPORT_RESULT = {
	passport_type: 'P',
	country_code: 'UTO',
	passport_number: 'L898902C3',
	extra_info: {},
};

/** Every kind of exchange, with several answers: the invariants below hold for each. */
const EVERY_EXCHANGE: Array<[string, Exchange]> = [
	['200 {}', answer(200, {})],
	['200 empty', answer(200, '')],
	['200 HTML', answer(200, '<html><body>Welcome</body></html>')],
	['200 broken JSON', answer(200, '{"result": {')],
	['200 result array', answer(200, { result: [] })],
	['404 empty', answer(404)],
	['401 empty', answer(401)],
	['413 empty', answer(413)],
	['429 empty', answer(429)],
	['502 HTML', answer(502, '<html>Bad Gateway</html>')],
	['403 text', answer(403, 'Forbidden')],
	...Object.keys(SERVICE_ERRORS).map((code): [string, Exchange] => [
		`400 ${code}`,
		errorAnswer(400, code),
	]),
	['400 unknown', errorAnswer(400, 'XYZ.0001')],
	['500 unknown', errorAnswer(500, 'XYZ.0001')],
	['401 unknown', errorAnswer(401, 'XYZ.0001')],
	['401 IAM-style', answer(401, { error: { code: 401, title: 'Unauthorized', message: 'no' } })],
	['timeout', { kind: 'timeout', timeoutMs: 2500 }],
	['oversize', { kind: 'oversize', status: 200, limitBytes: FOUR_MB }],
	...['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].map(
		(code): [string, Exchange] => [`network ${code}`, { kind: 'network', code }],
	),
	['tls', { kind: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }],
	['cancelled', { kind: 'cancelled' }],
	...(
		['credentials', 'project', 'clock', 'service', 'unreachable', 'busy', 'unexpected'] as const
	).map((problem): [string, Exchange] => [
		`sign-in ${problem}`,
		{ kind: 'sign-in', problem, message: `Sign-in failed: ${problem}`, httpStatus: 401 },
	]),
	['not-sent', { kind: 'not-sent', reason: 'Invalid URL' }],
];

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

// ---- Waiting ----

const failure = (extra: Partial<ItemFailure> = {}): ItemFailure => ({
	kind: 'service',
	code: 'X',
	message: 'm',
	description: 'Something failed.',
	scope: 'item',
	...extra,
});

describe('backoffMs', () => {
	it('doubles from 1 s with equal jitter, up to 30 s', () => {
		expect(backoffMs(failure(), 0, () => 0)).toBe(500);
		expect(backoffMs(failure(), 0, () => 0.999999)).toBeCloseTo(1000, 0);
		expect(backoffMs(failure(), 1, () => 0)).toBe(1000);
		expect(backoffMs(failure(), 1, () => 0.5)).toBe(1500);
		expect(backoffMs(failure(), 2, () => 0)).toBe(2000);
		expect(backoffMs(failure(), 4, () => 0)).toBe(8000);
		expect(backoffMs(failure(), 5, () => 0)).toBe(15_000);
		expect(backoffMs(failure(), 5, () => 1)).toBe(30_000);
		expect(backoffMs(failure(), 40, () => 1)).toBe(30_000);
	});

	it('is never shorter than Retry-After', () => {
		expect(backoffMs(failure({ retryAfterSeconds: 40 }), 0, () => 0)).toBe(40_000);
		expect(backoffMs(failure({ retryAfterSeconds: 0 }), 0, () => 0)).toBe(500);
		expect(backoffMs(failure({ retryAfterSeconds: 0.2 }), 1, () => 0.2)).toBe(1200);
	});

	it('stays between half the ceiling and the ceiling, and at least Retry-After (property)', () => {
		fc.assert(
			fc.property(
				fc.nat({ max: 60 }),
				fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
				fc.option(fc.nat({ max: 120 }), { nil: undefined }),
				(retry, random, retryAfterSeconds) => {
					const wait = backoffMs(failure({ retryAfterSeconds }), retry, () => random);
					const ceiling = Math.min(30_000, 1000 * 2 ** retry);
					expect(wait).toBeGreaterThanOrEqual(ceiling / 2);
					expect(wait).toBeGreaterThanOrEqual((retryAfterSeconds ?? 0) * 1000);
					expect(wait).toBeLessThanOrEqual(Math.max(ceiling, (retryAfterSeconds ?? 0) * 1000));
				},
			),
		);
	});
});

describe('throttlePauseMs', () => {
	it("follows the service's Retry-After, at least 1 s", () => {
		expect(throttlePauseMs(failure({ retryAfterSeconds: 5 }), 0, () => 1)).toBe(5000);
		expect(throttlePauseMs(failure({ retryAfterSeconds: 120 }), 3, () => 0)).toBe(120_000);
		expect(throttlePauseMs(failure({ retryAfterSeconds: 0 }), 0, () => 0)).toBe(1000);
	});

	it('without Retry-After pauses 2 to 5 s, doubling with each throttling in a row, at most 60 s', () => {
		expect(throttlePauseMs(failure(), 0, () => 0)).toBe(2000);
		expect(throttlePauseMs(failure(), 0, () => 1)).toBe(5000);
		expect(throttlePauseMs(failure(), 1, () => 0)).toBe(4000);
		expect(throttlePauseMs(failure(), 2, () => 0)).toBe(8000);
		expect(throttlePauseMs(failure(), 4, () => 1)).toBe(60_000);
		expect(throttlePauseMs(failure(), 30, () => 0)).toBe(60_000);
	});
});

describe('nextStep', () => {
	const history = (extra: Partial<ItemHistory> = {}): ItemHistory => ({
		startedAt: 1000,
		attempts: 1,
		renewed: false,
		...extra,
	});
	const timing = (extra: Partial<Timing> = {}): Timing => ({
		now: 1000,
		maxRetryMs: 10_000,
		random: () => 0,
		pacedUntil: 0,
		...extra,
	});
	const verdict = (remedy: Remedy, extra: Partial<ItemFailure> = {}): Failed => ({
		ok: false,
		remedy,
		failure: failure({ scope: remedy === 'stop' ? 'run' : 'item', ...extra }),
	});

	it('retries after the backoff while the retry starts within Max Retry Time', () => {
		expect(nextStep(verdict('retry'), history(), timing())).toEqual({ step: 'retry', at: 1500 });
		expect(nextStep(verdict('retry'), history({ attempts: 3 }), timing({ now: 5000 }))).toEqual({
			step: 'retry',
			at: 7000,
		});
	});

	it('measures Max Retry Time from the first attempt: a retry starting exactly at the limit still goes', () => {
		// startedAt 1000 + 10 s = 11 000; third retry waits 2 s from 9000.
		expect(nextStep(verdict('retry'), history({ attempts: 3 }), timing({ now: 9000 }))).toEqual({
			step: 'retry',
			at: 11_000,
		});
	});

	it('gives up when the retry would start beyond Max Retry Time, saying how often it tried', () => {
		const step = nextStep(verdict('retry'), history({ attempts: 3 }), timing({ now: 9001 }));
		expect(step.step).toBe('give-up');
		if (step.step !== 'give-up') return;
		expect(step.failure.description).toBe(
			'Something failed. Tried 3 times; Max Retry Time (10 s) allows no more.',
		);
		expect(step.failure.code).toBe('X');
		expect(step.failure.scope).toBe('item');
	});

	it('says "Not retried" when even the first retry would start too late', () => {
		const step = nextStep(
			verdict('retry', { retryAfterSeconds: 30 }),
			history(),
			timing({ maxRetryMs: 5000 }),
		);
		expect(step).toEqual({
			step: 'give-up',
			failure: expect.objectContaining({
				description:
					'Something failed. Not retried: the next try would start in 30 s, beyond Max Retry Time (5 s).',
			}) as unknown,
		});
	});

	it('gives up without a note when Max Retry Time is 0', () => {
		const v = verdict('retry');
		expect(nextStep(v, history(), timing({ maxRetryMs: 0 }))).toEqual({
			step: 'give-up',
			failure: v.failure,
		});
		const t = verdict('throttle');
		expect(nextStep(t, history(), timing({ maxRetryMs: 0, pacedUntil: 3000 }))).toEqual({
			step: 'give-up',
			failure: t.failure,
		});
	});

	it("waits out the run's pace after throttling, within Max Retry Time", () => {
		expect(
			nextStep(verdict('throttle'), history(), timing({ now: 2000, pacedUntil: 9000 })),
		).toEqual({ step: 'retry', at: 9000 });
		const late = nextStep(
			verdict('throttle'),
			history({ attempts: 2 }),
			timing({ now: 2000, pacedUntil: 11_001 }),
		);
		expect(late.step).toBe('give-up');
		if (late.step === 'give-up') expect(late.failure.description).toContain('Tried 2 times');
	});

	it('renews the token once, then stops the run', () => {
		expect(nextStep(verdict('renew'), history(), timing())).toEqual({ step: 'renew' });
		const again = nextStep(verdict('renew'), history({ renewed: true, attempts: 2 }), timing());
		expect(again.step).toBe('give-up');
		if (again.step === 'give-up') expect(again.failure.scope).toBe('run');
	});

	it('gives up at once on fail and stop, with the failure unchanged', () => {
		for (const remedy of ['fail', 'stop'] as const) {
			const v = verdict(remedy);
			const step = nextStep(v, history(), timing({ maxRetryMs: 3_600_000 }));
			expect(step).toEqual({ step: 'give-up', failure: v.failure });
		}
	});

	it('never schedules a retry beyond startedAt + Max Retry Time (property)', () => {
		fc.assert(
			fc.property(
				fc.constantFrom<Remedy>('retry', 'throttle', 'renew', 'fail', 'stop'),
				fc.option(fc.nat({ max: 100 }), { nil: undefined }),
				fc.nat({ max: 1_000_000 }),
				fc.nat({ max: 200_000 }),
				fc.integer({ min: 1, max: 40 }),
				fc.boolean(),
				fc.nat({ max: 300_000 }),
				fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
				fc.integer({ min: -10_000, max: 400_000 }),
				(
					remedy,
					retryAfterSeconds,
					startedAt,
					elapsed,
					attempts,
					renewed,
					maxRetryMs,
					random,
					paced,
				) => {
					const now = startedAt + elapsed;
					const step = nextStep(
						verdict(remedy, { retryAfterSeconds }),
						{ startedAt, attempts, renewed },
						{ now, maxRetryMs, random: () => random, pacedUntil: now + paced },
					);
					if (step.step === 'retry') {
						expect(step.at).toBeLessThanOrEqual(startedAt + maxRetryMs);
						expect(['retry', 'throttle']).toContain(remedy);
					}
					if (step.step === 'renew') expect(renewed).toBe(false);
					if (step.step === 'give-up') expect(step.failure.message).not.toBe('');
				},
			),
			{ numRuns: 500 },
		);
	});
});

// ---- Sign-in and the credential's Test ----

describe('judgeSignInRefusal', () => {
	const iamError = (message: string) => ({ error: { code: 401, title: 'Unauthorized', message } });

	it.each([401, 403])('reads HTTP %i as wrong credentials, echoing what IAM said', (status) => {
		const refusal = judgeSignInRefusal(
			answer(status, iamError('The username or password is wrong.')),
			SIGN_IN,
		);
		expect(refusal.problem).toBe('credentials');
		expect(refusal.httpStatus).toBe(status);
		expect(refusal.message).toContain('user name, the password and the account name');
		expect(refusal.message).toContain('(IAM said: The username or password is wrong.)');
	});

	it('shortens what IAM said to 300 characters', () => {
		const refusal = judgeSignInRefusal(answer(401, iamError('x'.repeat(1000))), SIGN_IN);
		expect(refusal.message).toContain(`(IAM said: ${'x'.repeat(300)})`);
		expect(refusal.message).not.toContain('x'.repeat(301));
	});

	it.each([
		[400, 'Project 0123 not found'],
		[404, 'Could not find project: xyz.'],
		[400, 'PROJECT name is invalid'],
	])('reads HTTP %i about a project (%s) as the project ID', (status, said) => {
		const refusal = judgeSignInRefusal(
			answer(status, { error: { code: status, message: said } }),
			SIGN_IN,
		);
		expect(refusal.problem).toBe('project');
		expect(refusal.message).toContain(SIGN_IN.projectId);
		expect(refusal.message).toContain(SIGN_IN.region);
		expect(refusal.message).toContain(said);
		expect(refusal.httpStatus).toBe(status);
	});

	it.each([429, 500, 502, 503])('reads HTTP %i as busy', (status) => {
		const refusal = judgeSignInRefusal(answer(status, ''), SIGN_IN);
		expect(refusal.problem).toBe('busy');
		expect(refusal.message).toContain(SIGN_IN.iamBaseUrl);
		expect(refusal.message).toContain(`HTTP ${status}`);
		expect(refusal.message).not.toContain('IAM said');
	});

	it('reads a web page as an unexpected answer, mentioning a web page', () => {
		for (const [status, page] of [
			[200, '<html><body>Portal</body></html>'],
			[404, '  \n<!DOCTYPE html><html></html>'],
			[302, '<html>Moved</html>'],
		] as const) {
			const refusal = judgeSignInRefusal(answer(status, page), SIGN_IN);
			expect(refusal.problem).toBe('unexpected');
			expect(refusal.message).toContain('web page');
			expect(refusal.message).toContain(SIGN_IN.iamBaseUrl);
			expect(refusal.message).toContain(`HTTP ${status}`);
		}
	});

	it('reads any other refusal as unexpected, naming the status', () => {
		const plain = judgeSignInRefusal(
			answer(400, { error: { code: 400, message: 'bad body' } }),
			SIGN_IN,
		);
		expect(plain).toEqual({
			problem: 'unexpected',
			message:
				"IAM refused the sign-in with HTTP 400 (IAM said: bad body): check the credential's IAM endpoint",
			httpStatus: 400,
		});
		expect(judgeSignInRefusal(answer(404, ''), SIGN_IN).problem).toBe('unexpected');
	});
});

describe('unansweredSignIn', () => {
	const endpoint = 'the IAM endpoint https://iam.example.com';

	it('has nothing to say about an answer', () => {
		expect(unansweredSignIn(answer(401, ''), endpoint)).toBeUndefined();
	});

	it('reads a timeout as busy, naming the endpoint and the seconds', () => {
		const failure = unansweredSignIn({ kind: 'timeout', timeoutMs: 1500 }, endpoint);
		expect(failure?.problem).toBe('busy');
		expect(failure?.message).toContain(endpoint);
		expect(failure?.message).toContain('1.5 s');
	});

	it('reads an oversized answer as unexpected, mentioning 4 MB', () => {
		const failure = unansweredSignIn(
			{ kind: 'oversize', status: 200, limitBytes: FOUR_MB },
			endpoint,
		);
		expect(failure).toMatchObject({ problem: 'unexpected', httpStatus: 200 });
		expect(failure?.message).toContain('4 MB');
		expect(failure?.message).toContain(endpoint);
	});

	it('reads a certificate error as unexpected, with the code', () => {
		const failure = unansweredSignIn({ kind: 'tls', code: 'CERT_HAS_EXPIRED' }, endpoint);
		expect(failure?.problem).toBe('unexpected');
		expect(failure?.message).toContain('CERT_HAS_EXPIRED');
		expect(failure?.message).toContain(endpoint);
	});

	it.each([
		['ECONNREFUSED', 'unreachable', ' (the connection was refused)'],
		['ENOTFOUND', 'unreachable', ' (the host name is unknown)'],
		['EHOSTUNREACH', 'unreachable', ''],
		['ECONNRESET', 'busy', ' (the connection was closed)'],
		['EAI_AGAIN', 'busy', ' (the host name could not be looked up)'],
		['EPIPE', 'busy', ''],
	])('reads network %s as %s, in words', (code, problem, reason) => {
		const failure = unansweredSignIn({ kind: 'network', code }, endpoint);
		expect(failure?.problem).toBe(problem);
		expect(failure?.message).toBe(
			`Could not reach ${endpoint}${reason}: check the credential's cloud and region`,
		);
		// n8n rewrites messages holding a raw code: the message never holds one.
		expect(failure?.message).not.toContain(code);
		expect(networkReason(code)).toBe(reason);
	});

	it('reads a cancelled sign-in as busy', () => {
		const failure = unansweredSignIn({ kind: 'cancelled' }, endpoint);
		expect(failure?.problem).toBe('busy');
		expect(failure?.message).toContain(endpoint);
	});

	it('passes a sign-in failure through', () => {
		expect(
			unansweredSignIn(
				{ kind: 'sign-in', problem: 'clock', message: 'The clock is off', httpStatus: 401 },
				endpoint,
			),
		).toEqual({ problem: 'clock', message: 'The clock is off', httpStatus: 401 });
	});

	it('reads a request that was not sent as unexpected, with the reason', () => {
		const failure = unansweredSignIn({ kind: 'not-sent', reason: 'Invalid URL' }, endpoint);
		expect(failure).toEqual({
			problem: 'unexpected',
			message: `The request to ${endpoint} could not be made: Invalid URL`,
		});
	});
});

describe('judgeAccessProbe', () => {
	it.each([
		['AIS.0101', 400],
		['ModelArts.4105', 400],
		['AIS.0101', 200],
	])('takes %s (HTTP %i) as proof of access', (code, status) => {
		expect(judgeAccessProbe(errorAnswer(status, code, 'invalid request'), CONTEXT)).toEqual({
			ok: true,
		});
	});

	const notOk = (exchange: Exchange): string => {
		const probe = judgeAccessProbe(exchange, CONTEXT);
		expect(probe.ok).toBe(false);
		if (probe.ok) return '';
		expect(probe.message.trim()).not.toBe('');
		return probe.message;
	};

	it('rejects a result to a request without an image, naming the endpoint', () => {
		const message = notOk(answer(200, { result: PASSPORT_RESULT }));
		expect(message).toContain(OCR);
		expect(message).toContain('never does');
	});

	it.each([
		['404 empty', answer(404), 'HTTP 404'],
		['200 HTML', answer(200, '<html>Login</html>'), 'HTTP 200'],
		['200 {}', answer(200, {}), 'HTTP 200'],
		['502 HTML', answer(502, '<html>Bad Gateway</html>'), 'HTTP 502'],
	])('rejects %s, naming the endpoint and the status', (_, exchange, status) => {
		const message = notOk(exchange);
		expect(message).toContain(OCR);
		expect(message).toContain(status);
		expect(message).toContain('does not look like the Passport API');
	});

	it.each([
		['ModelArts.4203 (no permission)', errorAnswer(403, 'ModelArts.4203')],
		['ModelArts.4204 (not enabled)', errorAnswer(403, 'ModelArts.4204')],
		['APIG.0301 (sign-in)', errorAnswer(401, 'APIGW.0301')],
		['AIS.0104', errorAnswer(400, 'AIS.0104')],
		[
			'IAM-style 401',
			answer(401, {
				error: {
					code: 401,
					title: 'Unauthorized',
					message: 'The request you have made requires authentication.',
				},
			}),
		],
		[
			'IAM-style 404 project',
			answer(404, { error: { code: 404, message: 'Could not find project' } }),
		],
	])('rejects %s with its message and status', (_, exchange) => {
		const message = notOk(exchange);
		expect(message).toMatch(/\(HTTP \d{3}\)$/);
	});

	it('rejects a documented code with the documented message', () => {
		expect(notOk(errorAnswer(403, 'ModelArts.4204'))).toBe(
			`${SERVICE_ERRORS['ModelArts.4204'].message(CONTEXT)} (HTTP 403)`,
		);
	});

	it.each<[string, Exchange, string | undefined]>([
		['timeout', { kind: 'timeout', timeoutMs: 2000 }, '2 s'],
		['tls', { kind: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, OCR],
		['oversize', { kind: 'oversize', status: 200, limitBytes: FOUR_MB }, OCR],
		['network ECONNREFUSED', { kind: 'network', code: 'ECONNREFUSED' }, OCR],
		['network ECONNRESET', { kind: 'network', code: 'ECONNRESET' }, undefined],
		['cancelled', { kind: 'cancelled' }, undefined],
		[
			'sign-in',
			{ kind: 'sign-in', problem: 'credentials', message: 'Sign-in failed' },
			'Sign-in failed',
		],
		['not-sent', { kind: 'not-sent', reason: 'bad' }, undefined],
	])('rejects %s with a message', (_, exchange, mentions) => {
		const message = notOk(exchange);
		if (mentions !== undefined) expect(message).toContain(mentions);
	});
});
