import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { signRequest, type SigningKey } from './requestSigning';

const ABSOLUTE_URL = /^https?:\/\//i;
const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';
/** Set by the signer; a request signed before (n8n resends its own authenticated options) drops them. */
const SIGNER_HEADERS = ['authorization', 'x-sdk-date', 'x-security-token', 'x-project-id', 'host'];

/** The URL the HTTP client will call, joined as axios joins `baseURL` and a relative `url`. */
export function absoluteUrl(options: IHttpRequestOptions, defaultBaseUrl: string): string {
	if (ABSOLUTE_URL.test(options.url)) return options.url;
	const base = (options.baseURL ?? defaultBaseUrl).replace(/\/+$/, '');
	return `${base}/${options.url.replace(/^\/+/, '')}`;
}

function isPlainJson(body: object): boolean {
	return Array.isArray(body) || Object.getPrototypeOf(body) === Object.prototype;
}

/**
 * The body as the exact bytes that go on the wire, so its hash is the hash of what the gateway receives:
 * bytes stay as they are, and an object is serialised here, once. axios sends both unchanged (a JSON string is
 * only trimmed, which JSON.stringify output never needs).
 */
function wireBody(body: IHttpRequestOptions['body']): string | Buffer | undefined {
	if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) return body;
	if (body === null || typeof body !== 'object' || !isPlainJson(body)) {
		throw new Error('Only a JSON, text or bytes body can be signed');
	}
	return JSON.stringify(body);
}

function unsignedHeaders(headers: IDataObject, hasBody: boolean): Record<string, string> {
	const kept: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || value === null) continue;
		if (SIGNER_HEADERS.includes(name.toLowerCase())) continue;
		kept[name] = String(value);
	}
	const typed = Object.keys(kept).some((name) => name.toLowerCase() === 'content-type');
	if (hasBody && !typed) kept['Content-Type'] = JSON_CONTENT_TYPE;
	return kept;
}

/**
 * The request as it must be sent with AK/SK signing: absolute URL, the body as its wire bytes, and the
 * signature headers for `now`. Signing the output again (for n8n's resend after a refresh) replaces the old
 * signature.
 * @throws Error for a query in `qs` (the client would encode it after signing), or a body that is not a JSON
 * object, text or bytes.
 */
export function signRequestOptions(
	options: IHttpRequestOptions,
	key: SigningKey,
	defaultBaseUrl: string,
	now: Date,
): IHttpRequestOptions {
	if (options.qs !== undefined && Object.keys(options.qs).length > 0) {
		throw new Error('A signed request must carry its query in the URL, not in qs');
	}
	const url = absoluteUrl(options, defaultBaseUrl);
	const body = wireBody(options.body);
	const headers = unsignedHeaders(options.headers ?? {}, body !== undefined);
	const method = options.method ?? 'GET';
	const signature = signRequest({ method, url, headers, body: body ?? '' }, key, now);
	const signed: IHttpRequestOptions = {
		...options,
		method,
		url,
		headers: { ...headers, ...signature },
	};
	delete signed.baseURL;
	if (body === undefined) delete signed.body;
	else signed.body = body;
	return signed;
}
