import { asSignInProblem, signInProblemOf, type SignInProblem } from '../contract/itemFailure';
import { type Answer, headerValue, readAnswer } from './answer';
import type { Redactor } from './redaction';

/**
 * One attempt of one HTTP request, bounded in time and memory, and what came of it as plain data. Nothing from
 * the HTTP client's own errors leaves this module (they hold the request, and so the token or the password):
 * only the status, headers, the answer's text after redaction, and error codes.
 */

export type Exchange =
	| Answer
	/** No complete answer within the attempt's time: connecting, waiting for headers, or reading the body. */
	| { kind: 'timeout'; timeoutMs: number }
	/** The answer was larger than `maxAnswerBytes` (after decompression); reading stopped at the limit. */
	| { kind: 'oversize'; status: number; limitBytes: number }
	| { kind: 'network'; code: string }
	/** The endpoint's certificate was not accepted. */
	| { kind: 'tls'; code: string }
	/** The run stopped (another item failed for good, or the execution was cancelled) while this was in flight. */
	| { kind: 'cancelled' }
	/** The sign-in n8n ran before the request (the credential's preAuthentication) failed. */
	| { kind: 'sign-in'; problem: SignInProblem; message: string; httpStatus?: number }
	/** The request failed before it was sent, without a network error: a message, already redacted. */
	| { kind: 'not-sent'; reason: string };

/** What an HTTP helper resolves to when asked for the full response as a stream. */
export interface StreamedResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	/** A readable stream, or text or bytes from helpers that buffer. */
	body: unknown;
}

/** Sends the request; `signal` aborts it. Rejects with the helper's error on network failures. */
export type StreamingCall = (signal: AbortSignal) => Promise<StreamedResponse>;

export interface ExchangeLimits {
	/** Bounds the whole attempt: connecting, sign-in, headers and the full body. */
	timeoutMs: number;
	maxAnswerBytes: number;
}

/**
 * Largest answer read, decompressed. The Passport API answers a few kB; answers whose fields hold 1 MB of text
 * have been seen from misbehaving services and still fit. 4 MiB a request keeps a window of 32 requests under
 * 128 MiB even when every answer is hostile.
 */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** The credential's sign-in failure inside the helper's error chain, matched by name, not by class. */
const SIGN_IN_ERROR_NAME = 'IamSignInError';

const TLS_CODE = /CERT|SSL|TLS|EPROTO|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;
/** Node's network errors (ECONNRESET...); `ERR_*` codes are the client's own refusals, not the network's. */
const NETWORK_CODE = /^E(?!RR_)[A-Z_]+$/;

function causes(error: unknown): Array<Record<string, unknown>> {
	const chain: Array<Record<string, unknown>> = [];
	let current = error;
	while (typeof current === 'object' && current !== null && chain.length < 8) {
		chain.push(current as Record<string, unknown>);
		current = (current as { cause?: unknown }).cause;
	}
	return chain;
}

/** The sign-in failure a link of the chain stands for, if it is one. */
function signInFailure(link: Record<string, unknown>, redactor: Redactor): Exchange | undefined {
	if (typeof link.message !== 'string') return undefined;
	if (link.name === SIGN_IN_ERROR_NAME) {
		return {
			kind: 'sign-in',
			problem: asSignInProblem(link.problem) ?? 'unexpected',
			message: redactor.redact(link.message),
			httpStatus: typeof link.httpStatus === 'number' ? link.httpStatus : undefined,
		};
	}
	// n8n 1.x: the NodeApiError around the sign-in error has lost it, but carries its code and message.
	const problem = typeof link.httpCode === 'string' ? signInProblemOf(link.httpCode) : undefined;
	if (problem) return { kind: 'sign-in', problem, message: redactor.redact(link.message) };
	return undefined;
}

/** Reads what a rejected call left behind: a sign-in failure, a TLS or network code, or a reason. */
function failedCall(error: unknown, redactor: Redactor): Exchange {
	const chain = causes(error);
	for (const link of chain) {
		const signIn = signInFailure(link, redactor);
		if (signIn) return signIn;
	}
	for (const link of chain) {
		const code = typeof link.code === 'string' ? link.code : undefined;
		if (code === undefined) continue;
		if (TLS_CODE.test(code)) return { kind: 'tls', code };
		if (NETWORK_CODE.test(code)) return { kind: 'network', code };
	}
	const innermost = [...chain].reverse().find((link) => typeof link.message === 'string');
	const reason = typeof innermost?.message === 'string' ? innermost.message : '';
	return { kind: 'not-sent', reason: redactor.redact(reason) || 'no reason was given' };
}

interface Destroyable {
	destroy?: (error?: Error) => void;
}

const isStream = (body: unknown): body is AsyncIterable<unknown> & Destroyable =>
	typeof body === 'object' &&
	body !== null &&
	typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';

const declaredLength = (headers: Record<string, unknown>): number | undefined => {
	const length = Number(headerValue(headers, 'content-length'));
	return Number.isFinite(length) ? length : undefined;
};

const encoded = (headers: Record<string, unknown>): boolean =>
	!/^\s*(identity)?\s*$/i.test(headerValue(headers, 'content-encoding') ?? '');

type BodyRead =
	| { ok: true; bytes: Buffer }
	| { ok: false; oversize: true }
	| { ok: false; oversize: false };

/** Reads a body up to `limit` bytes; a larger one stops being read (and decompressed) at the limit. */
async function readBody(body: unknown, limit: number, signal: AbortSignal): Promise<BodyRead> {
	if (typeof body === 'string' || body instanceof Uint8Array) {
		const bytes = Buffer.from(body as string);
		return bytes.length > limit ? { ok: false, oversize: true } : { ok: true, bytes };
	}
	if (body === undefined || body === null) return { ok: true, bytes: Buffer.alloc(0) };
	if (!isStream(body)) return { ok: true, bytes: Buffer.from(JSON.stringify(body)) };
	const stop = () => body.destroy?.(new Error('aborted'));
	signal.addEventListener('abort', stop, { once: true });
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of body) {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
			size += bytes.length;
			if (size > limit) {
				stop();
				return { ok: false, oversize: true };
			}
			chunks.push(bytes);
		}
	} catch {
		return { ok: false, oversize: false };
	} finally {
		signal.removeEventListener('abort', stop);
	}
	if (signal.aborted) return { ok: false, oversize: false };
	return { ok: true, bytes: Buffer.concat(chunks, size) };
}

/** A signal that aborts when `parent` does or after `ms`, and which reason it was. */
function attemptSignal(parent: AbortSignal | undefined, ms: number) {
	const controller = new AbortController();
	const timer = AbortSignal.timeout(ms);
	let timedOut = false;
	const onTimeout = () => {
		timedOut = true;
		controller.abort();
	};
	const onParent = () => controller.abort();
	timer.addEventListener('abort', onTimeout, { once: true });
	if (parent?.aborted) controller.abort();
	else parent?.addEventListener('abort', onParent, { once: true });
	return {
		signal: controller.signal,
		timedOut: () => timedOut,
		release: () => {
			timer.removeEventListener('abort', onTimeout);
			parent?.removeEventListener('abort', onParent);
		},
	};
}

/** Resolves with the call's response, or with undefined as soon as `signal` aborts, whichever is first. */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
	if (signal.aborted) return undefined;
	let onAbort: () => void = () => undefined;
	const aborted = new Promise<undefined>((resolve) => {
		onAbort = () => resolve(undefined);
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([work, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/**
 * Makes one attempt: sends, waits for the headers, reads the body, all within `limits.timeoutMs`, and aborts
 * the request when `runSignal` aborts. Never rejects.
 */
export async function exchange(
	call: StreamingCall,
	limits: ExchangeLimits,
	redactor: Redactor,
	runSignal?: AbortSignal,
): Promise<Exchange> {
	const attempt = attemptSignal(runSignal, limits.timeoutMs);
	const ended = (): Exchange =>
		attempt.timedOut() ? { kind: 'timeout', timeoutMs: limits.timeoutMs } : { kind: 'cancelled' };
	try {
		let failure: Exchange | undefined;
		const sent = call(attempt.signal).catch((error: unknown) => {
			failure = failedCall(error, redactor);
			return undefined;
		});
		const response = await untilAborted(sent, attempt.signal);
		if (response === undefined) {
			// A response that arrives after the attempt ended is not read; its body is let go at once.
			void sent.then((late) => (late?.body as Destroyable | undefined)?.destroy?.());
			return attempt.signal.aborted ? ended() : (failure ?? ended());
		}
		const length = declaredLength(response.headers);
		if (length !== undefined && length > limits.maxAnswerBytes && !encoded(response.headers)) {
			(response.body as Destroyable | undefined)?.destroy?.();
			return { kind: 'oversize', status: response.statusCode, limitBytes: limits.maxAnswerBytes };
		}
		const body = await readBody(response.body, limits.maxAnswerBytes, attempt.signal);
		if (!body.ok && body.oversize) {
			return { kind: 'oversize', status: response.statusCode, limitBytes: limits.maxAnswerBytes };
		}
		if (!body.ok) return attempt.signal.aborted ? ended() : { kind: 'network', code: 'ECONNRESET' };
		return readAnswer(
			response.statusCode,
			response.headers,
			redactor.redact(body.bytes.toString('utf8')),
		);
	} finally {
		attempt.release();
	}
}
