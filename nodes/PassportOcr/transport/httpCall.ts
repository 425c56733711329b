import type { IHttpRequestOptions } from 'n8n-workflow';

/**
 * A small request/response shape over n8n's `httpRequest` helper, as `preAuthentication` gets it. Statuses never
 * throw here; callers read them. Network failures still reject, with the helper's error.
 */
export interface PlainRequest {
	method: 'GET' | 'POST';
	url: string;
	headers?: Record<string, string>;
	body?: object;
	timeoutMs?: number;
}

export interface PlainResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

export type HttpCall = (request: PlainRequest) => Promise<PlainResponse>;

const DEFAULT_TIMEOUT_MS = 30_000;

type HttpRequestHelper = (options: IHttpRequestOptions) => Promise<unknown>;

function asPlainResponse(response: unknown): PlainResponse {
	const full = (response ?? {}) as { statusCode?: unknown; headers?: unknown; body?: unknown };
	return {
		statusCode: typeof full.statusCode === 'number' ? full.statusCode : 0,
		headers: (full.headers ?? {}) as Record<string, unknown>,
		body: full.body,
	};
}

export function httpCallFromHelper(httpRequest: HttpRequestHelper): HttpCall {
	return async (request) =>
		asPlainResponse(
			await httpRequest({
				method: request.method,
				url: request.url,
				headers: request.headers,
				body: request.body as IHttpRequestOptions['body'],
				json: true,
				timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			}),
		);
}

/** Response header by name, whatever case the helper delivered it in. */
export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		const first = Array.isArray(value) ? value[0] : value;
		return typeof first === 'string' && first !== '' ? first : undefined;
	}
	return undefined;
}
