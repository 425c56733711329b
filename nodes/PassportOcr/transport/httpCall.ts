import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { StreamedResponse, StreamingCall } from './exchange';

/**
 * n8n's request helpers, asked for the answer as a stream whatever its status, so that `exchange` can bound how
 * long and how much it reads. Every status resolves; only network failures reject.
 */

/** Turns a request description into one streaming attempt. */
export type RequestSender = (options: IHttpRequestOptions) => StreamingCall;

export type HttpRequestHelper = (options: IHttpRequestOptions) => Promise<unknown>;

/** n8n's legacy `request` helper: the only one a credential test function is given. */
export type LegacyRequestHelper = (options: IDataObject) => Promise<unknown>;

export function asStreamedResponse(response: unknown): StreamedResponse {
	const full = (response ?? {}) as { statusCode?: unknown; headers?: unknown; body?: unknown };
	return {
		statusCode: typeof full.statusCode === 'number' ? full.statusCode : 0,
		headers: (full.headers ?? {}) as Record<string, unknown>,
		body: full.body,
	};
}

/** The options every attempt is sent with: the answer streamed, every status resolved, aborted by `signal`. */
export function streamingOptions(
	options: IHttpRequestOptions,
	signal: AbortSignal,
): IHttpRequestOptions {
	return {
		...options,
		// n8n writes into the options it is given (its cancel signal); each attempt gets its own copy.
		headers: { ...options.headers },
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		abortSignal: signal,
	};
}

export function senderFromHttpRequest(httpRequest: HttpRequestHelper): RequestSender {
	return (options) => async (signal) =>
		asStreamedResponse(await httpRequest(streamingOptions(options, signal)));
}

/**
 * The legacy helper has no abort signal: `exchange` stops reading at the deadline and destroys the stream, and
 * the helper's own timeout ends a connection that never answers.
 */
export function senderFromLegacyRequest(request: LegacyRequestHelper): RequestSender {
	return (options) => async () =>
		asStreamedResponse(
			await request({
				method: options.method ?? 'GET',
				uri: options.url,
				headers: options.headers ?? {},
				...(options.body === undefined ? {} : { body: options.body }),
				json: false,
				timeout: options.timeout,
				useStream: true,
				simple: false,
				resolveWithFullResponse: true,
			}),
		);
}
