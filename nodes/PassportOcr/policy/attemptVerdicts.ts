import { signInCode, type ItemFailure, type SignInProblem } from '../contract/itemFailure';
import type { PassportResponse } from '../contract/passportApi';
import {
	knownServiceError,
	normaliseErrorCode,
	type ErrorContext,
} from '../contract/serviceErrors';
import { parseBody, readErrorBody, withoutCanonicalRequest } from '../transport/errorBody';
import { headerValue, type Answer, type Exchange } from '../transport/exchange';
import { readPassportAnswer } from '../transport/passportRequest';

/**
 * The one place that decides what a failure means: every outcome of an attempt (an answer, a timeout, a network
 * or TLS error, an oversized answer, a failed sign-in) becomes a verdict, and a verdict plus the item's history
 * becomes the next step: try again after a wait, renew the credential once and try again, fail this item, or
 * stop the run. The messages that say what to do are written here too, from the fields the policy chose to
 * show; nothing is copied from the HTTP client's errors.
 */

/** How a failure can be dealt with; `throttle` is a retry that paces the whole run. */
export type Remedy = 'retry' | 'throttle' | 'renew' | 'fail' | 'stop';

export type Verdict =
	| { ok: true; response: PassportResponse }
	| { ok: false; remedy: Remedy; failure: ItemFailure };

export interface FailureContext extends ErrorContext {
	ocrBaseUrl: string;
	timeoutMs: number;
}

const seconds = (ms: number): string => String(Math.round(ms / 100) / 10);

/** The endpoint cannot be the Passport API: the user must check the credential. */
const NOT_THE_API = (context: FailureContext) =>
	`This does not look like the Passport API: check the credential's OCR endpoint (${context.ocrBaseUrl}), its cloud and region`;

const RUN_AGAIN =
	'This is usually temporary: the node retried within Max Retry Time; run the workflow again later.';

function failureOf(
	remedy: Remedy,
	fields: Omit<ItemFailure, 'scope' | 'kind'> & { kind?: ItemFailure['kind'] },
): Verdict {
	return {
		ok: false,
		remedy,
		failure: { kind: 'service', ...fields, scope: remedy === 'stop' ? 'run' : 'item' },
	};
}

/** A refused or unresolvable connection means a wrong endpoint or a service that is down. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMED_OUT = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

function networkVerdict(code: string, context: FailureContext): Verdict {
	if (TIMED_OUT.has(code)) return timeoutVerdict(context.timeoutMs);
	if (UNREACHABLE.has(code)) {
		return failureOf('stop', {
			code: `NETWORK.${code}`,
			message: `Could not reach the OCR endpoint ${context.ocrBaseUrl}`,
			description:
				'Check the cloud and region (or the custom endpoint) in the credential, and that n8n can reach the internet.',
		});
	}
	return failureOf('retry', {
		code: `NETWORK.${code}`,
		message: 'The connection to the OCR service was closed before it answered',
		description: RUN_AGAIN,
	});
}

function timeoutVerdict(timeoutMs: number): Verdict {
	return failureOf('retry', {
		code: 'NETWORK.TIMEOUT',
		message: `The OCR service did not answer within the node's Timeout (${seconds(timeoutMs)} s)`,
		description:
			'The service or the network is slow: run the workflow again, or raise Timeout in the node options.',
	});
}

function retryAfterSeconds(headers: Record<string, unknown>): number | undefined {
	const value = Number(headerValue(headers, 'retry-after'));
	return Number.isFinite(value) && value >= 0 ? value : undefined;
}

const THROTTLING_CODES = new Set(['APIG.0308', 'ModelArts.4401']);
/** The status the gateway answers a token it does not accept with (APIG.0301, APIG.0307, ModelArts.41xx). */
const TOKEN_REJECTED_STATUS = 401;
/** A body over the gateway's size limit is refused the same way every time, whatever its code says. */
const TOO_LARGE_STATUS = 413;

const REMEDY_OF_ENTRY: Record<string, Remedy> = {
	'fix-item': 'fail',
	'fix-setup': 'stop',
	reauthenticate: 'renew',
	retry: 'retry',
};

/** What a status without a documented code calls for. */
function remedyOfStatus(status: number): Remedy {
	if (status === 429) return 'throttle';
	if (status === TOKEN_REJECTED_STATUS) return 'renew';
	if (status >= 500) return 'retry';
	if (status === TOO_LARGE_STATUS) return 'fail';
	return 'stop';
}

/** An answer that carries no passport result: an error code, or something that is not the API's answer. */
function failedAnswer(answer: Answer, context: FailureContext): Verdict {
	const body = parseBody(answer.text);
	const { code, message, requestId } = readErrorBody(body);
	const serviceMessage = message === undefined ? undefined : withoutCanonicalRequest(message);
	const common = {
		httpStatus: answer.status,
		serviceMessage,
		requestId: headerValue(answer.headers, 'x-request-id') ?? requestId,
		retryAfterSeconds: retryAfterSeconds(answer.headers),
	};
	if (code !== undefined) {
		const normalised = normaliseErrorCode(code);
		const known = knownServiceError(normalised);
		const throttled = THROTTLING_CODES.has(normalised) || answer.status === 429;
		const documented = known ? REMEDY_OF_ENTRY[known.remedy] : remedyOfStatus(answer.status);
		const remedy: Remedy = throttled
			? 'throttle'
			: answer.status === TOO_LARGE_STATUS
				? 'fail'
				: documented;
		return failureOf(remedy, {
			...common,
			code: known ? normalised : code,
			message: known
				? known.message(context)
				: `The OCR service answered ${code}: ${serviceMessage ?? 'no message'}`,
			description: known
				? `The service answered ${code}: ${serviceMessage ?? ''}`.trim()
				: 'This error code is not in the documented list. Keep the request ID if you contact support.',
		});
	}
	const text = answer.text.trim();
	const html = /^</.test(text);
	const what =
		text === ''
			? 'an empty answer'
			: html
				? 'a web page'
				: answer.status < 300
					? 'an answer without a passport result'
					: 'an answer without an error code';
	const remedy = answer.status < 300 ? 'retry' : remedyOfStatus(answer.status);
	return failureOf(remedy, {
		...common,
		code: answer.status < 300 ? 'SERVICE.NO_RESULT' : `HTTP.${answer.status}`,
		message: `The OCR endpoint answered HTTP ${answer.status} with ${what}. ${NOT_THE_API(context)}`,
		description:
			text === '' ? 'The answer had no body.' : `The answer began: ${text.slice(0, 200)}`,
	});
}

function signInVerdict(exchange: Extract<Exchange, { kind: 'sign-in' }>): Verdict {
	const passes = exchange.problem === 'busy';
	return failureOf(passes ? 'retry' : 'stop', {
		kind: passes ? 'service' : 'input',
		code: signInCode(exchange.problem),
		message: exchange.message,
		description: 'Open the credential and press Test: it says which part of the sign-in is wrong.',
		httpStatus: exchange.httpStatus,
	});
}

/** What one attempt of a recognition request came to. */
export function judgePassportExchange(exchange: Exchange, context: FailureContext): Verdict {
	switch (exchange.kind) {
		case 'answer': {
			if (exchange.status >= 200 && exchange.status < 300) {
				const response = readPassportAnswer(exchange);
				if (response) return { ok: true, response };
			}
			return failedAnswer(exchange, context);
		}
		case 'timeout':
			return timeoutVerdict(exchange.timeoutMs);
		case 'oversize':
			return failureOf('stop', {
				code: 'SERVICE.ANSWER_TOO_LARGE',
				message: `The OCR endpoint sent an answer larger than ${exchange.limitBytes / (1024 * 1024)} MB; the Passport API answers a few kB. ${NOT_THE_API(context)}`,
				description: 'Reading stopped at the limit, so nothing of the answer was used.',
				httpStatus: exchange.status,
			});
		case 'network':
			return networkVerdict(exchange.code, context);
		case 'tls':
			return failureOf('stop', {
				code: `TLS.${exchange.code}`,
				message: `The certificate of ${context.ocrBaseUrl} was not accepted (${exchange.code})`,
				description:
					"Check the credential's OCR endpoint: its host name must match the certificate, and a proxy that inspects HTTPS needs its certificate trusted by n8n (NODE_EXTRA_CA_CERTS).",
			});
		case 'cancelled':
			return failureOf('stop', {
				code: 'RUN.STOPPED',
				message: 'The run stopped before the OCR service answered this item',
				description: 'Another item failed for good, or the execution was stopped.',
			});
		case 'sign-in':
			return signInVerdict(exchange);
		case 'not-sent':
			return failureOf('stop', {
				code: 'REQUEST.NOT_SENT',
				message: 'The request to the OCR service could not be made',
				description: `${exchange.reason}. Open the credential and press Test; if the endpoint is a custom one, check its address.`,
			});
	}
}

// ---- Waiting: how long before the next try ----

/** The service's advice for APIG.0308 is to retry after 2 to 5 s. */
const THROTTLE_PAUSE_MS = 2000;
const THROTTLE_SPREAD = 1.5;
/** Never sooner than this after a throttling answer, even when it says `Retry-After: 0`. */
const MIN_THROTTLE_PAUSE_MS = 1000;
const MAX_THROTTLE_PAUSE_MS = 60_000;
const BACKOFF_FIRST_MS = 1000;
const BACKOFF_CAP_MS = 30_000;

const retryAfterMs = (failure: ItemFailure): number | undefined =>
	failure.retryAfterSeconds === undefined ? undefined : failure.retryAfterSeconds * 1000;

/**
 * The wait before retry number `retry` (0 for the first) of a failure that is not throttling: doubling from 1 s
 * up to 30 s, with equal jitter so that items failing together do not retry together, and never shorter than
 * the service's `Retry-After`.
 */
export function backoffMs(failure: ItemFailure, retry: number, random: () => number): number {
	const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_FIRST_MS * 2 ** retry);
	return Math.max(ceiling / 2 + (random() * ceiling) / 2, retryAfterMs(failure) ?? 0);
}

/**
 * How long every request of the run holds back after throttling: the service's `Retry-After` when it sends
 * one, otherwise 2 to 5 s, doubling with each throttling in a row, at most 60 s.
 */
export function throttlePauseMs(
	failure: ItemFailure,
	throttlesInRow: number,
	random: () => number,
): number {
	const asked = retryAfterMs(failure);
	if (asked !== undefined) return Math.max(MIN_THROTTLE_PAUSE_MS, asked);
	const base = THROTTLE_PAUSE_MS * 2 ** throttlesInRow;
	return Math.min(MAX_THROTTLE_PAUSE_MS, base * (1 + THROTTLE_SPREAD * random()));
}

/** Where an item stands: when its first attempt started and how many attempts it made. */
export interface ItemHistory {
	startedAt: number;
	attempts: number;
	renewed: boolean;
}

export interface Timing {
	now: number;
	maxRetryMs: number;
	random: () => number;
	/** When the run's shared pace lets requests go again (after throttling). */
	pacedUntil: number;
}

export type NextStep =
	| { step: 'retry'; at: number }
	| { step: 'renew' }
	| { step: 'give-up'; failure: ItemFailure };

/** Says in the failure why the item stopped retrying, so a user knows whether to raise Max Retry Time. */
function gaveUp(failure: ItemFailure, history: ItemHistory, waitMs: number, maxRetryMs: number) {
	const limit = `Max Retry Time (${seconds(maxRetryMs)} s)`;
	const note =
		history.attempts > 1
			? `Tried ${history.attempts} times; ${limit} allows no more.`
			: `Not retried: the next try would start in ${seconds(waitMs)} s, beyond ${limit}.`;
	return { ...failure, description: `${failure.description} ${note}` };
}

/**
 * What the item does after a failed attempt. A retry must start within Max Retry Time of the item's first
 * attempt, so that an item never takes longer than Max Retry Time plus one Timeout. A token is renewed once
 * per item; a second rejection means the credential itself is refused, and stops the run.
 */
export function nextStep(
	verdict: Extract<Verdict, { ok: false }>,
	history: ItemHistory,
	timing: Timing,
): NextStep {
	const { remedy, failure } = verdict;
	if (remedy === 'fail' || remedy === 'stop') return { step: 'give-up', failure };
	if (remedy === 'renew') {
		return history.renewed
			? { step: 'give-up', failure: { ...failure, scope: 'run' } }
			: { step: 'renew' };
	}
	const at =
		remedy === 'throttle'
			? timing.pacedUntil
			: timing.now + backoffMs(failure, history.attempts - 1, timing.random);
	const { maxRetryMs } = timing;
	if (at - history.startedAt <= maxRetryMs) return { step: 'retry', at };
	return {
		step: 'give-up',
		failure: maxRetryMs > 0 ? gaveUp(failure, history, at - timing.now, maxRetryMs) : failure,
	};
}

// ---- Sign-in and the credential's Test ----

/** A sign-in failure: which part to fix and a message that says how. */
export interface SignInFailure {
	problem: SignInProblem;
	message: string;
	httpStatus?: number;
}

export interface SignInContext {
	iamBaseUrl: string;
	region: string;
	projectId: string;
}

const NETWORK_REASONS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name is unknown',
	EAI_AGAIN: 'the host name could not be looked up',
	ECONNRESET: 'the connection was closed',
};

/**
 * Network codes in words: n8n rewrites any error message that contains a code such as ECONNREFUSED into its own
 * generic sentence, which would hide the endpoint and the fix.
 */
export function networkReason(code: string): string {
	const reason = NETWORK_REASONS[code];
	return reason ? ` (${reason})` : '';
}

/**
 * A failed exchange that is not an answer, for a sign-in or a key check; `endpoint` names it in a sentence
 * ("the IAM endpoint https://...").
 */
export function unansweredSignIn(exchange: Exchange, endpoint: string): SignInFailure | undefined {
	switch (exchange.kind) {
		case 'answer':
			return undefined;
		case 'timeout':
			return {
				problem: 'busy',
				message: `No answer from ${endpoint} within ${seconds(exchange.timeoutMs)} s: try again, and check the credential's cloud and region`,
			};
		case 'oversize':
			return {
				problem: 'unexpected',
				message: `An answer larger than ${exchange.limitBytes / (1024 * 1024)} MB came from ${endpoint}: it is not a Huawei Cloud endpoint, check the credential's endpoints`,
				httpStatus: exchange.status,
			};
		case 'tls':
			return {
				problem: 'unexpected',
				message: `The certificate of ${endpoint} was not accepted (${exchange.code}): check the endpoint's host name, or have n8n trust your proxy's certificate (NODE_EXTRA_CA_CERTS)`,
			};
		case 'network':
			return {
				problem: UNREACHABLE.has(exchange.code) ? 'unreachable' : 'busy',
				message: `Could not reach ${endpoint}${networkReason(exchange.code)}: check the credential's cloud and region`,
			};
		case 'cancelled':
			return { problem: 'busy', message: `The sign-in at ${endpoint} was stopped` };
		case 'sign-in':
			return {
				problem: exchange.problem,
				message: exchange.message,
				httpStatus: exchange.httpStatus,
			};
		case 'not-sent':
			return {
				problem: 'unexpected',
				message: `The request to ${endpoint} could not be made: ${exchange.reason}`,
			};
	}
}

/**
 * IAM's words for a project it does not know ("Could not find project", "project ... not exist"); a bare mention
 * of "project" may be an echo of the sign-in request, which names the project it asks for.
 */
const NO_SUCH_PROJECT =
	/\b(not|no|invalid|unknown|find)\b[^.{}]{0,80}\bproject\b|\bproject\b[^.{}]{0,80}\b(not|invalid|exist|found)\b/i;

/** What IAM's refusal of a password sign-in means; the answer's text is already redacted. */
export function judgeSignInRefusal(answer: Answer, context: SignInContext): SignInFailure {
	const status = answer.status;
	const said = readErrorBody(parseBody(answer.text)).message;
	const echo = said ? ` (IAM said: ${said.slice(0, 300)})` : '';
	if (status === 401 || status === 403) {
		return {
			problem: 'credentials',
			message: `Sign-in failed: check the IAM user name, the password and the account name${echo}`,
			httpStatus: status,
		};
	}
	if ((status === 400 || status === 404) && NO_SUCH_PROJECT.test(said ?? '')) {
		return {
			problem: 'project',
			message: `The account has no project with ID ${context.projectId}: copy the project ID of region ${context.region} from My Credentials > API Credentials${echo}`,
			httpStatus: status,
		};
	}
	if (status === 429 || status >= 500) {
		return {
			problem: 'busy',
			message: `IAM at ${context.iamBaseUrl} is busy or failing (HTTP ${status}): try again in a minute${echo}`,
			httpStatus: status,
		};
	}
	const html = /^\s*</.test(answer.text);
	return {
		problem: 'unexpected',
		message: html
			? `${context.iamBaseUrl} answered the sign-in with a web page (HTTP ${status}), not as IAM does: check the credential's cloud, region or IAM endpoint`
			: `IAM refused the sign-in with HTTP ${status}${echo}: check the credential's IAM endpoint`,
		httpStatus: status,
	};
}

/**
 * Answers of the Passport API that prove the sign-in or signature, the project and the subscription: the service
 * checks all of them before it reads the body, and only then calls an empty request invalid (AIS.0101, or
 * ModelArts.4105 when the empty body is dropped). Such an answer is never billed.
 */
export const PROVES_ACCESS: ReadonlySet<string> = new Set(['AIS.0101', 'ModelArts.4105']);

/** The Test button's verdict on the Passport API's answer to a request with no image. */
export function judgeAccessProbe(
	exchange: Exchange,
	context: FailureContext,
): { ok: true } | { ok: false; message: string } {
	if (exchange.kind === 'answer') {
		const { code } = readErrorBody(parseBody(exchange.text));
		if (code !== undefined && PROVES_ACCESS.has(normaliseErrorCode(code))) return { ok: true };
	}
	const verdict = judgePassportExchange(exchange, context);
	if (verdict.ok) {
		return {
			ok: false,
			message: `The OCR endpoint ${context.ocrBaseUrl} answered a request without an image with a result, which the Passport API never does: check the endpoint`,
		};
	}
	const { failure } = verdict;
	const status = failure.httpStatus === undefined ? '' : ` (HTTP ${failure.httpStatus})`;
	return { ok: false, message: `${failure.message}${status}` };
}

// ---- Needs Review: failures of the image itself ----

/**
 * Codes that mean the image itself cannot be read, so a person must look at it (or get a better one): the
 * service's AIS.0101–0104 and ModelArts.4104, and this node's own refusals of the file before sending it (its
 * format, size or pixel size, and every PDF refusal: no scan, encrypted, damaged, an encoding it cannot pass
 * on). Setup problems (sign-in, subscription, endpoint, quota) and problems of the item's data or of the node's
 * parameters (no file, text that is not Base64, a bad URL) are not among them.
 */
const UNREADABLE_IMAGE_CODES = new Set([
	'AIS.0101',
	'AIS.0102',
	'AIS.0103',
	'AIS.0104',
	'ModelArts.4104',
	'INPUT.FORMAT',
	'INPUT.UNREADABLE',
	'INPUT.FILE_SIZE',
	'INPUT.TOO_SMALL',
	'INPUT.TOO_LARGE',
]);

/** Whether a failure concerns only this item's image, which the Needs Review output then takes. */
export function isUnreadableImage(failure: ItemFailure): boolean {
	if (failure.scope !== 'item') return false;
	return UNREADABLE_IMAGE_CODES.has(failure.code) || failure.code.startsWith('PDF.');
}
