import { SERVICE_ERRORS } from '../../../nodes/PassportOcr/contract/serviceErrors';
import {
	judgeAccessProbe,
	judgeSignInRefusal,
	networkReason,
	unansweredSignIn,
} from '../../../nodes/PassportOcr/policy/signInVerdicts';
import type { Exchange } from '../../../nodes/PassportOcr/transport/exchange';
import {
	OCR,
	CONTEXT,
	SIGN_IN,
	FOUR_MB,
	answer,
	errorAnswer,
	PASSPORT_RESULT,
} from './policyFixtures';

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
