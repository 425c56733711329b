import type { IExecuteFunctions } from 'n8n-workflow';

import { fail, succeed, type Outcome } from '../contract/itemFailure';
import type {
	PassportRequestBody,
	PassportResponse,
	PassportResult,
} from '../contract/passportApi';
import { passportPath } from '../contract/passportApi';
import { CREDENTIAL_TYPE } from './credentialSettings';
import { headerValue } from './httpCall';
import { describeHttpFailure, type FailureContext } from './httpFailure';
import { parseBody } from './errorBody';

/** 401 is how the gateway rejects an expired or foreign token: n8n then signs in again and resends once. */
const TOKEN_REJECTED_STATUS = 401;

export interface PassportCall {
	projectId: string;
	body: PassportRequestBody;
	context: FailureContext;
}

function isResult(value: unknown): value is PassportResult {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readAnswer(response: unknown): Outcome<PassportResponse> {
	const full = (response ?? {}) as {
		body?: unknown;
		headers?: Record<string, unknown>;
		statusCode?: number;
	};
	const body = parseBody(full.body) as { result?: unknown } | string | undefined;
	const requestId = headerValue(full.headers ?? {}, 'x-request-id');
	if (typeof body === 'object' && body !== null && isResult(body.result)) {
		return succeed({ result: body.result, requestId });
	}
	const text = typeof body === 'string' ? body : JSON.stringify(body ?? null);
	return fail({
		kind: 'service',
		code: 'SERVICE.NO_RESULT',
		message: 'The OCR service answered without a passport result',
		description: `The answer (HTTP ${full.statusCode ?? '?'}) began: ${text.slice(0, 200)}. Run the workflow again; if it persists, check the credential's OCR endpoint.`,
		retryable: true,
		httpStatus: full.statusCode,
		requestId,
	});
}

/**
 * Sends one recognition request with the credential attached. Never throws: a failure comes back as a value
 * whose message says what to do.
 */
export async function sendPassportRequest(
	ctx: IExecuteFunctions,
	call: PassportCall,
): Promise<Outcome<PassportResponse>> {
	const { context } = call;
	let response: unknown;
	try {
		response = await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			{
				method: 'POST',
				url: `${context.ocrBaseUrl}${passportPath(call.projectId)}`,
				headers: { 'Content-Type': 'application/json;charset=UTF-8' },
				body: call.body as unknown as Record<string, string>,
				json: true,
				timeout: context.timeoutMs,
				returnFullResponse: true,
			},
			{ preAuthenticationRetryStatusCode: TOKEN_REJECTED_STATUS },
		);
	} catch (error) {
		return fail(describeHttpFailure(error, context));
	}
	return readAnswer(response);
}
