import type { ICredentialsDecrypted, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { fail, succeed, type Outcome } from '../contract/itemFailure';
import type {
	PassportRequestContent,
	PassportResponse,
	PassportResult,
} from '../contract/passportApi';
import { passportPath } from '../contract/passportApi';
import type { BodyBuffers } from './bodyBuffers';
import { CREDENTIAL_TYPE } from './credentialSettings';
import { headerValue } from './httpCall';
import { describeHttpFailure, type FailureContext } from './httpFailure';
import { parseBody } from './errorBody';

export interface PassportCall {
	projectId: string;
	body: PassportRequestContent;
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

/**
 * Image bytes encoded per step: a multiple of 3, so the pieces join without padding, and small enough that each
 * piece's text is a short-lived ordinary string. Encoding a whole 1–2 MB image at once makes one large external
 * string per item, and with several items in flight those drive a full garbage collection every few items.
 */
const BASE64_STEP_BYTES = 3 * 16 * 1024;

/**
 * The body as JSON bytes, the image's Base64 written straight into memory from `bodies`. Base64 text needs no
 * escaping, so the bytes are the exact JSON that JSON.stringify would give, without a copy of the image as text.
 */
export function passportBodyBytes(content: PassportRequestContent, bodies: BodyBuffers): Buffer {
	const { image, ...rest } = content;
	if (image === undefined) return Buffer.from(JSON.stringify(rest));
	const fields = JSON.stringify(rest).slice(0, -1);
	const head = `${fields}${fields === '{' ? '' : ','}"image":"`;
	const bytes = bodies.take(Buffer.byteLength(head) + 4 * Math.ceil(image.length / 3) + 2);
	let at = bytes.write(head, 0, 'utf8');
	for (let start = 0; start < image.length; start += BASE64_STEP_BYTES) {
		const text = image.toString('base64', start, Math.min(start + BASE64_STEP_BYTES, image.length));
		at += bytes.write(text, at, 'latin1');
	}
	bytes.write('"}', at, 'latin1');
	return bytes;
}

/** The request, body included, built once for all of a call's attempts. */
function passportRequestOptions(call: PassportCall, body: Buffer): IHttpRequestOptions {
	return {
		method: 'POST',
		url: `${call.context.ocrBaseUrl}${passportPath(call.projectId)}`,
		headers: { 'Content-Type': 'application/json;charset=UTF-8' },
		body,
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

/** A request ready to go: its body is built, and the image it came from is no longer needed. */
export interface PreparedPassportRequest {
	request: IHttpRequestOptions;
	body: Buffer;
	context: FailureContext;
}

/** Builds the request and its body, in memory from the run's `bodies`, once for all of its attempts. */
export function preparePassportRequest(
	call: PassportCall,
	bodies: BodyBuffers,
): PreparedPassportRequest {
	const body = passportBodyBytes(call.body, bodies);
	return { request: passportRequestOptions(call, body), body, context: call.context };
}

/**
 * Sends one prepared recognition request with the credential attached, through the run's sender. Never
 * rejects: a failure comes back as a value whose message says what to do.
 */
export async function sendPassportRequest(
	ctx: IExecuteFunctions,
	{ request, body, context }: PreparedPassportRequest,
	sender: PassportSender,
	bodies: BodyBuffers,
): Promise<Outcome<PassportResponse>> {
	const outcome = await sender.send(
		async (credential) => await exchangeOnce(ctx, request, context, credential),
	);
	// A result means the service read the whole body, so no write of it is pending. After a failure the answer
	// may have come before the body was all sent, and the socket may still be reading it.
	if (outcome.ok) bodies.giveBack(body);
	return outcome;
}
