import type { ICredentialsDecrypted, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

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

export interface PassportCall {
	projectId: string;
	body: PassportRequestBody;
	context: FailureContext;
}

/** One request and its answer, with the given credential data attached. */
export type PassportExchange = (
	credential: ICredentialsDecrypted,
) => Promise<Outcome<PassportResponse>>;

/**
 * How a node run sends its requests when it coordinates them (one sign-in, shared pacing, retries). It calls
 * `exchange` once per attempt with credential data that all of the run's requests share.
 */
export interface PassportSender {
	send(exchange: PassportExchange): Promise<Outcome<PassportResponse>>;
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

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The body as JSON bytes. Base64 text needs no escaping, so the image is copied once, straight into the buffer,
 * instead of into a serialised string and then a buffer: with several large images in flight, each holds one
 * copy of its body, not two. Text that could end or escape the JSON string falls back to JSON.stringify.
 */
export function passportBodyBytes(body: PassportRequestBody): Buffer {
	const { image, ...rest } = body;
	if (image === undefined) return Buffer.from(JSON.stringify(body));
	const fields = JSON.stringify(rest).slice(0, -1);
	const head = `${fields}${fields === '{' ? '' : ','}"image":"`;
	const bytes = Buffer.allocUnsafe(Buffer.byteLength(head) + image.length + 2);
	const start = bytes.write(head, 0, 'utf8');
	const end = start + bytes.write(image, start, 'latin1');
	bytes.write('"}', end, 'latin1');
	const plain = bytes.indexOf(QUOTE, start) === end && bytes.indexOf(BACKSLASH, start) === -1;
	return plain ? bytes : Buffer.from(JSON.stringify(body));
}

/** The request, body included, built once for all of a call's attempts. */
function passportRequestOptions(call: PassportCall): IHttpRequestOptions {
	return {
		method: 'POST',
		url: `${call.context.ocrBaseUrl}${passportPath(call.projectId)}`,
		headers: { 'Content-Type': 'application/json;charset=UTF-8' },
		body: passportBodyBytes(call.body),
		json: true,
		timeout: call.context.timeoutMs,
		returnFullResponse: true,
	};
}

/**
 * One exchange with the run's shared credential: n8n signs in only when its token is empty and never resends,
 * because the sender owns renewal.
 */
async function exchangeOnce(
	ctx: IExecuteFunctions,
	request: IHttpRequestOptions,
	context: FailureContext,
	credential: ICredentialsDecrypted,
): Promise<Outcome<PassportResponse>> {
	let response: unknown;
	try {
		response = await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			// n8n writes into the options it is given (the cancel signal); each attempt gets its own.
			{ ...request, headers: { ...request.headers } },
			{ credentialsDecrypted: credential, preAuthenticationRetryStatusCode: [] },
		);
	} catch (error) {
		return fail(describeHttpFailure(error, context));
	}
	return readAnswer(response);
}

/**
 * Sends one recognition request with the credential attached, through the run's sender.
 * Never rejects: a failure comes back as a value whose message says what to do.
 *
 * Not async on purpose: once the body bytes are built, nothing here holds `call`, so the image's Base64 text
 * can be freed while the request (and its retries) are under way.
 */
export function sendPassportRequest(
	ctx: IExecuteFunctions,
	call: PassportCall,
	sender: PassportSender,
): Promise<Outcome<PassportResponse>> {
	const request = passportRequestOptions(call);
	const { context } = call;
	return sender.send(async (credential) => await exchangeOnce(ctx, request, context, credential));
}
