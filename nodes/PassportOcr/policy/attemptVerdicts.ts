import { signInCode, type ItemFailure } from '../contract/itemFailure';
import { passportResultOf, type PassportResponse } from '../contract/passportApi';
import {
	knownServiceError,
	normaliseErrorCode,
	type ErrorContext,
} from '../contract/serviceErrors';
import type { Answer } from '../transport/answer';
import type { Exchange } from '../transport/exchange';

/**
 * The one place that decides what a failure of a recognition attempt means: every outcome (an answer, a
 * timeout, a network or TLS error, an oversized answer, a failed sign-in) becomes a verdict: try again, pace the
 * run, renew the credential once, fail this item, or stop the run. retryTiming.ts turns a verdict and the item's
 * history into the next step; signInVerdicts.ts judges sign-ins and the credential's Test. The messages that say
 * what to do are written here too, from the fields the policy chose to show; nothing is copied from the HTTP
 * client's errors.
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

export const seconds = (ms: number): string => String(Math.round(ms / 100) / 10);

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
export const UNREACHABLE: ReadonlySet<string> = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);
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
	const { code, message: serviceMessage } = answer.error;
	const common = {
		httpStatus: answer.status,
		serviceMessage,
		requestId: answer.requestId ?? answer.error.requestId,
		retryAfterSeconds: answer.retryAfterSeconds,
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
				const result = passportResultOf(exchange.body);
				if (result) return { ok: true, response: { result, requestId: exchange.requestId } };
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
