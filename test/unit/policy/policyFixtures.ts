/** What the policy's tests share: contexts, answers as transport hands them, and every kind of exchange. */
import { SERVICE_ERRORS } from '../../../nodes/PassportOcr/contract/serviceErrors';
import {
	judgePassportExchange,
	type FailureContext,
	type Verdict,
} from '../../../nodes/PassportOcr/policy/attemptVerdicts';
import type { SignInContext } from '../../../nodes/PassportOcr/policy/signInVerdicts';
import { readAnswer, type Answer } from '../../../nodes/PassportOcr/transport/answer';
import type { Exchange } from '../../../nodes/PassportOcr/transport/exchange';

export const OCR = 'https://ocr.ap-southeast-1.myhuaweicloud.com';
export const CONTEXT: FailureContext = {
	where: 'region ap-southeast-1 of Huawei Cloud (International)',
	ocrBaseUrl: OCR,
	timeoutMs: 20_000,
};
export const SIGN_IN: SignInContext = {
	iamBaseUrl: 'https://iam.ap-southeast-1.myhuaweicloud.com',
	region: 'ap-southeast-1',
	projectId: '0123456789abcdef0123456789abcdef',
};
export const FOUR_MB = 4 * 1024 * 1024;

export function answer(
	status: number,
	body: unknown = '',
	headers: Record<string, unknown> = {},
): Answer {
	return readAnswer(status, headers, typeof body === 'string' ? body : JSON.stringify(body));
}

export const errorAnswer = (
	status: number,
	code: string,
	message = 'service says no',
	headers = {},
) => answer(status, { error_code: code, error_msg: message }, headers);

export type Failed = Extract<Verdict, { ok: false }>;

export function failed(exchange: Exchange, context: FailureContext = CONTEXT): Failed {
	const verdict = judgePassportExchange(exchange, context);
	if (verdict.ok) throw new Error(`expected a failure, got ${JSON.stringify(verdict)}`);
	return verdict;
}

export const PASSPORT_RESULT = {
	passport_type: 'P',
	country_code: 'UTO',
	passport_number: 'L898902C3',
	extra_info: {},
};

/** Every kind of exchange, with several answers: the invariants below hold for each. */
export const EVERY_EXCHANGE: Array<[string, Exchange]> = [
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
