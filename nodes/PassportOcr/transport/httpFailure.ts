import {
	knownServiceError,
	normaliseErrorCode,
	type ErrorContext,
} from '../contract/serviceErrors';
import type { ItemFailure } from '../contract/itemFailure';
import { parseBody, readErrorBody, withoutCanonicalRequest } from './errorBody';
import { headerValue } from './httpCall';

/**
 * What a failed HTTP exchange left behind, read from the error n8n's request helpers throw (a NodeApiError whose
 * cause chain holds the HTTP client's error). Only these fields leave this module: the rest of that error holds
 * the request, and so the token.
 */
interface HttpFailure {
	status?: number;
	body?: unknown;
	headers: Record<string, unknown>;
	networkCode?: string;
	/** The message of the innermost error: what went wrong when neither an answer nor a network code came. */
	rootMessage?: string;
	signIn?: { problem: string; message: string; httpStatus?: number };
}

function causes(error: unknown): Array<Record<string, unknown>> {
	const chain: Array<Record<string, unknown>> = [];
	let current = error;
	while (typeof current === 'object' && current !== null && chain.length < 6) {
		chain.push(current as Record<string, unknown>);
		current = (current as { cause?: unknown }).cause;
	}
	return chain;
}

export function readHttpFailure(error: unknown): HttpFailure {
	const failure: HttpFailure = { headers: {} };
	for (const link of causes(error)) {
		if (link.name === 'IamSignInError' && typeof link.message === 'string') {
			failure.signIn = {
				problem: String(link.problem),
				message: link.message,
				httpStatus: typeof link.httpStatus === 'number' ? link.httpStatus : undefined,
			};
		}
		const response = link.response as Record<string, unknown> | undefined;
		if (failure.status === undefined && typeof response?.status === 'number') {
			failure.status = response.status;
			failure.body = response.data;
			failure.headers = (response.headers ?? {}) as Record<string, unknown>;
		}
		if (
			failure.networkCode === undefined &&
			typeof link.code === 'string' &&
			/^E[A-Z_]+$/.test(link.code)
		) {
			failure.networkCode = link.code;
		}
		if (typeof link.message === 'string' && link.message !== '') failure.rootMessage = link.message;
	}
	return failure;
}

const SIGN_IN_CODE_PREFIX = 'IAM.';

/** The status the gateway answers a token it does not accept with (APIG.0301, APIG.0307, ModelArts.4101–4103). */
export const TOKEN_REJECTED_STATUS = 401;

export interface FailureContext extends ErrorContext {
	ocrBaseUrl: string;
	timeoutMs: number;
}

function networkFailure(code: string, context: FailureContext): ItemFailure {
	const timedOut = code === 'ETIMEDOUT' || code === 'ECONNABORTED';
	const unreachable = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code);
	const message = timedOut
		? `The OCR service did not answer within ${Math.round(context.timeoutMs / 1000)} s`
		: unreachable
			? `Could not reach the OCR endpoint ${context.ocrBaseUrl}`
			: 'The connection to the OCR service was closed before it answered';
	const description = unreachable
		? 'Check the cloud and region (or the custom endpoint) in the credential, and that n8n can reach the internet.'
		: 'This is usually temporary: run the workflow again, or turn on Retry On Fail in the node settings.';
	// A refused or unresolvable connection means a wrong endpoint or a service that is down: waiting rarely helps.
	return {
		kind: 'service',
		code: `NETWORK.${code}`,
		message,
		description,
		retryable: !unreachable,
	};
}

function retryAfterSeconds(headers: Record<string, unknown>): number | undefined {
	const value = Number(headerValue(headers, 'retry-after'));
	return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function unrecognisedAnswer(
	status: number,
	body: unknown,
): Pick<ItemFailure, 'code' | 'message' | 'description'> {
	const text = typeof body === 'string' ? body : '';
	const html = /^\s*</.test(text);
	return {
		code: `HTTP.${status}`,
		message: html
			? `The OCR endpoint answered HTTP ${status} with a web page instead of the service's answer, probably from a proxy`
			: `The OCR service answered HTTP ${status} without an error code`,
		description: text ? `The answer began: ${text.slice(0, 200)}` : 'The answer had no body.',
	};
}

/** A body over the gateway's size limit is refused the same way every time, whatever its code says. */
const TOO_LARGE_STATUS = 413;

const retryableStatus = (status: number): boolean => status >= 500 || status === 429;

/**
 * No answer and no network error code: the request failed before it left (while it was being authorised or
 * built), or on something that is not a connection problem, such as a certificate. Retrying does not help.
 */
function notSent(rootMessage: string | undefined): ItemFailure {
	return {
		kind: 'service',
		code: 'REQUEST.NOT_SENT',
		message: 'The request to the OCR service could not be made',
		description: `${rootMessage ?? 'No reason was given'}. Open the credential and press Test; if the endpoint is a custom one, check its address and certificate.`,
		retryable: false,
	};
}

/** The sign-in before the call failed: the credential, not the call, needs attention. */
export function isSignInFailure(failure: ItemFailure): boolean {
	return failure.code.startsWith(SIGN_IN_CODE_PREFIX);
}

/** The service refused the token the call carried (expired, revoked, or of another project): sign in again. */
export function isTokenRejection(failure: ItemFailure): boolean {
	return failure.httpStatus === TOKEN_REJECTED_STATUS && !isSignInFailure(failure);
}

/** Turns a failed OCR call into a failure whose message says what to do. */
export function describeHttpFailure(error: unknown, context: FailureContext): ItemFailure {
	const http = readHttpFailure(error);
	if (http.signIn) {
		const unreachable = http.signIn.problem === 'unreachable';
		return {
			kind: unreachable ? 'service' : 'input',
			code: `${SIGN_IN_CODE_PREFIX}${http.signIn.problem.toUpperCase()}`,
			message: http.signIn.message,
			description:
				'Open the credential and press Test: it says which part of the sign-in is wrong.',
			retryable: unreachable,
			httpStatus: http.signIn.httpStatus,
		};
	}
	if (http.status === undefined) {
		return http.networkCode === undefined
			? notSent(http.rootMessage)
			: networkFailure(http.networkCode, context);
	}
	const body = parseBody(http.body);
	const { code, message, requestId } = readErrorBody(body);
	const serviceMessage = message === undefined ? undefined : withoutCanonicalRequest(message);
	const common = {
		kind: 'service' as const,
		httpStatus: http.status,
		serviceMessage,
		requestId: headerValue(http.headers, 'x-request-id') ?? requestId,
		retryAfterSeconds: retryAfterSeconds(http.headers),
	};
	const known = code ? knownServiceError(code) : undefined;
	if (code && known) {
		return {
			...common,
			code: normaliseErrorCode(code),
			message: known.message(context),
			description: `The service answered ${code}: ${serviceMessage ?? ''}`.trim(),
			retryable: known.remedy === 'retry' && http.status !== TOO_LARGE_STATUS,
		};
	}
	if (code) {
		return {
			...common,
			code,
			message: `The OCR service answered ${code}: ${serviceMessage ?? 'no message'}`,
			description:
				'This error code is not in the documented list. Keep the request ID if you contact support.',
			retryable: retryableStatus(http.status),
		};
	}
	return {
		...common,
		...unrecognisedAnswer(http.status, body),
		retryable: retryableStatus(http.status),
	};
}
