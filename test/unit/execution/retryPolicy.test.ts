import type { ItemFailure } from '../../../nodes/PassportOcr/contract/itemFailure';
import {
	backoffMs,
	isThrottling,
	isWorthRetrying,
	throttlePauseMs,
} from '../../../nodes/PassportOcr/execution/retryPolicy';
import { describeHttpFailure } from '../../../nodes/PassportOcr/transport/httpFailure';

const context = {
	where: 'region ap-southeast-1',
	ocrBaseUrl: 'https://ocr.example',
	timeoutMs: 5000,
};

/** The failure the transport makes of an HTTP answer, shaped as n8n's request helper throws it. */
function answered(status: number, body: unknown, headers: Record<string, string> = {}) {
	return describeHttpFailure({ cause: { response: { status, data: body, headers } } }, context);
}
const serviceError = (status: number, code: string, headers?: Record<string, string>) =>
	answered(status, { error_code: code, error_msg: 'x' }, headers);
const network = (code: string) => describeHttpFailure({ cause: { code } }, context);
const signIn = (problem: string) =>
	describeHttpFailure(
		{ cause: { name: 'IamSignInError', problem, message: 'Sign-in failed', httpStatus: 401 } },
		context,
	);
const noResult: ItemFailure = {
	kind: 'service',
	code: 'SERVICE.NO_RESULT',
	message: 'no result',
	description: '',
	retryable: true,
	httpStatus: 200,
};

describe('isWorthRetrying', () => {
	it.each<[string, ItemFailure]>([
		['429 APIG.0308', serviceError(429, 'APIG.0308')],
		['the gateway spelling APIGW.0308', serviceError(429, 'APIGW.0308')],
		['ModelArts.4401 (too many at once)', serviceError(400, 'ModelArts.4401')],
		['ModelArts.4402 (service timeout)', serviceError(400, 'ModelArts.4402')],
		['503 ModelArts.4403', serviceError(503, 'ModelArts.4403')],
		['504 APIG.0201', serviceError(504, 'APIG.0201')],
		['500 with an unknown code', serviceError(500, 'Other.0001')],
		['a 502 web page from a proxy', answered(502, '<html>Bad Gateway</html>')],
		['a 200 without a result', noResult],
		['a reset connection', network('ECONNRESET')],
		['a timeout', network('ECONNABORTED')],
		['a socket timeout', network('ETIMEDOUT')],
	])('retries %s', (_, failure) => {
		expect(isWorthRetrying(failure)).toBe(true);
	});

	it.each<[string, ItemFailure]>([
		['AIS.0104 (not a passport)', serviceError(400, 'AIS.0104')],
		['ModelArts.4204 (not subscribed)', serviceError(403, 'ModelArts.4204')],
		['ModelArts.4603 (URL download failed, a 400)', serviceError(400, 'ModelArts.4603')],
		['APIG.0307 (token rejected; the sign-in gate renews it)', serviceError(401, 'APIG.0307')],
		['413 APIGW.0201 (body too large)', serviceError(413, 'APIGW.0201')],
		['an unknown 4xx', serviceError(404, 'Other.0404')],
		['a refused connection (service down)', network('ECONNREFUSED')],
		['an unknown host', network('ENOTFOUND')],
		['a failed sign-in', signIn('credentials')],
		['an unreachable IAM endpoint', signIn('unreachable')],
	])('fails at once on %s', (_, failure) => {
		expect(isWorthRetrying(failure)).toBe(false);
	});
});

describe('isThrottling', () => {
	it('is the rate limit (429, APIG.0308) and the limit on requests at once (ModelArts.4401), nothing else', () => {
		expect(isThrottling(serviceError(429, 'APIG.0308'))).toBe(true);
		expect(isThrottling(serviceError(400, 'ModelArts.4401'))).toBe(true);
		expect(isThrottling(answered(429, 'slow down'))).toBe(true);
		expect(isThrottling(serviceError(503, 'ModelArts.4403'))).toBe(false);
		expect(isThrottling(network('ECONNRESET'))).toBe(false);
	});
});

describe('backoffMs', () => {
	const failure = serviceError(503, 'ModelArts.4403');

	it('doubles from 1 s with equal jitter: between half and all of the ceiling', () => {
		expect([0, 1, 2, 3].map((retry) => backoffMs(failure, retry, () => 0))).toEqual([
			500, 1000, 2000, 4000,
		]);
		expect([0, 1, 2, 3].map((retry) => backoffMs(failure, retry, () => 1))).toEqual([
			1000, 2000, 4000, 8000,
		]);
	});

	it('stops growing at 30 s', () => {
		expect(backoffMs(failure, 12, () => 1)).toBe(30_000);
		expect(backoffMs(failure, 12, () => 0)).toBe(15_000);
	});

	it("never waits less than the service's Retry-After", () => {
		const asked = serviceError(503, 'ModelArts.4403', { 'Retry-After': '7' });
		expect(asked.retryAfterSeconds).toBe(7);
		expect(backoffMs(asked, 0, () => 0.5)).toBe(7000);
		expect(backoffMs(asked, 5, () => 1)).toBe(30_000);
	});
});

describe('throttlePauseMs', () => {
	it("is the service's Retry-After when it sends one, however many throttlings came before", () => {
		const limited = serviceError(429, 'APIG.0308', { 'Retry-After': '42' });
		expect(throttlePauseMs(limited, 0, () => 0.3)).toBe(42_000);
		expect(throttlePauseMs(limited, 6, () => 0.3)).toBe(42_000);
	});

	it('waits at least 1 s after a Retry-After of 0', () => {
		const now = serviceError(429, 'APIG.0308', { 'Retry-After': '0' });
		expect(throttlePauseMs(now, 0, () => 0)).toBe(1000);
	});

	it("without one, follows the service's advice of 2 to 5 s, doubling with each throttling in a row up to 60 s", () => {
		const limited = serviceError(429, 'APIG.0308');
		expect(throttlePauseMs(limited, 0, () => 0)).toBe(2000);
		expect(throttlePauseMs(limited, 0, () => 1)).toBe(5000);
		expect(throttlePauseMs(limited, 1, () => 0)).toBe(4000);
		expect(throttlePauseMs(limited, 2, () => 1)).toBe(20_000);
		expect(throttlePauseMs(limited, 9, () => 1)).toBe(60_000);
	});
});
