import type { ICredentialsDecrypted, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { PassportRequestContent } from '../contract/passportApi';
import { passportPath } from '../contract/passportApi';
import { CREDENTIAL_TYPE } from '../contract/credentialType';
import type { BodyBuffers } from './bodyBuffers';
import { exchange, MAX_ANSWER_BYTES, type Exchange } from './exchange';
import { asStreamedResponse, streamingOptions } from './httpCall';
import type { Redactor } from './redaction';

export interface PassportCall {
	projectId: string;
	body: PassportRequestContent;
	ocrBaseUrl: string;
	timeoutMs: number;
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
	const encodedLength = Buffer.isBuffer(image)
		? 4 * Math.ceil(image.length / 3)
		: image.base64.length;
	const bytes = bodies.take(Buffer.byteLength(head) + encodedLength + 2);
	let at = bytes.write(head, 0, 'utf8');
	if (Buffer.isBuffer(image)) {
		for (let start = 0; start < image.length; start += BASE64_STEP_BYTES) {
			const text = image.toString(
				'base64',
				start,
				Math.min(start + BASE64_STEP_BYTES, image.length),
			);
			at += bytes.write(text, at, 'latin1');
		}
	} else {
		// Strict Base64 is ASCII: one byte a character, and nothing to escape in JSON.
		at += bytes.write(image.base64, at, 'latin1');
	}
	bytes.write('"}', at, 'latin1');
	return bytes;
}

/** The request, body included, built once for all of a call's attempts. */
function passportRequestOptions(call: PassportCall, body: Buffer): IHttpRequestOptions {
	return {
		method: 'POST',
		url: `${call.ocrBaseUrl}${passportPath(call.projectId)}`,
		headers: { 'Content-Type': 'application/json;charset=UTF-8' },
		body,
		json: true,
		timeout: call.timeoutMs,
	};
}

/** A request ready to go: its body is built, and the image it came from is no longer needed. */
export interface PreparedPassportRequest {
	request: IHttpRequestOptions;
	body: Buffer;
	timeoutMs: number;
}

/** Builds the request and its body, in memory from the run's `bodies`, once for all of its attempts. */
export function preparePassportRequest(
	call: PassportCall,
	bodies: BodyBuffers,
): PreparedPassportRequest {
	const body = passportBodyBytes(call.body, bodies);
	return { request: passportRequestOptions(call, body), body, timeoutMs: call.timeoutMs };
}

/**
 * n8n's authenticated request helper aborts with the signal its context gives (the execution's cancel signal)
 * and ignores one in the options; an attempt gives it a view of the context whose signal is the attempt's own,
 * which also aborts when the execution is cancelled. n8n versions whose helper does not set a signal use the
 * one in the options.
 */
function attemptContext(ctx: IExecuteFunctions, signal: AbortSignal): IExecuteFunctions {
	return Object.create(ctx, {
		getExecutionCancelSignal: { value: () => signal },
	}) as IExecuteFunctions;
}

/**
 * One attempt of a prepared recognition request, with the run's shared credential attached by n8n: n8n signs in
 * only when its token is empty and never resends, because the failure policy decides about renewal.
 */
export async function sendPassportAttempt(
	ctx: IExecuteFunctions,
	{ request, timeoutMs }: PreparedPassportRequest,
	credential: ICredentialsDecrypted,
	redactor: Redactor,
	runSignal: AbortSignal,
): Promise<Exchange> {
	return await exchange(
		async (signal) =>
			asStreamedResponse(
				await ctx.helpers.httpRequestWithAuthentication.call(
					attemptContext(ctx, signal),
					CREDENTIAL_TYPE,
					streamingOptions(request, signal),
					{ credentialsDecrypted: credential, preAuthenticationRetryStatusCode: [] },
				),
			),
		{ timeoutMs, maxAnswerBytes: MAX_ANSWER_BYTES },
		redactor,
		runSignal,
	);
}
