/**
 * Huawei Cloud API Gateway AK/SK request signing ("SDK-HMAC-SHA256"), the client's side. The test emulator's
 * verifier (test/emulator/signatureVerifier.ts) builds the canonical request with this same code.
 */

import { createHash, createHmac } from 'node:crypto';

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';

/** The gateway rejects a signature whose X-Sdk-Date is further than this from its clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export type HeaderValues = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface CanonicalRequestInput {
	method: string;
	/** An absolute URL, or the request target (path and query) as a server receives it. */
	url: string;
	headers: HeaderValues;
	body: string | Uint8Array;
}

export interface SignableRequest extends CanonicalRequestInput {
	headers: Readonly<Record<string, string>>;
}

export interface SigningKey {
	accessKey: string;
	secretKey: string;
	/** Temporary credentials only. */
	securityToken?: string;
	projectId?: string;
}

export interface ParsedAuthorization {
	accessKey: string;
	signedHeaders: string[];
	signature: string;
}

const SDK_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const AUTHORIZATION =
	/^SDK-HMAC-SHA256 +Access=([^\s,]+), *SignedHeaders=([^\s,]+), *Signature=([0-9a-f]{64})$/;
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
/** Headers whose value the signer decides; taking them from the caller would sign a stale or ambiguous value. */
const SIGNER_OWNED = ['authorization', 'x-sdk-date', 'x-security-token', 'x-project-id'];

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** `YYYYMMDDTHHMMSSZ` in UTC, the X-Sdk-Date format. */
export function formatSdkDate(date: Date): string {
	const formatted = date
		.toISOString()
		.replace(/\.\d{3}Z$/, 'Z')
		.replace(/[-:]/g, '');
	if (!SDK_DATE.test(formatted)) {
		throw new RangeError(`Cannot express ${formatted} as an X-Sdk-Date`);
	}
	return formatted;
}

/** The instant an X-Sdk-Date names, or undefined when it is not a real `YYYYMMDDTHHMMSSZ` time. */
export function parseSdkDate(value: string): Date | undefined {
	const parts = SDK_DATE.exec(value);
	if (!parts) return undefined;
	const [year, month, day, hour, minute, second] = parts.slice(1).map(Number);
	const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
	// Date.UTC rolls 20191332 over into January; a round trip catches it.
	return formatSdkDate(date) === value ? date : undefined;
}

/** RFC 3986 percent-encoding of the UTF-8 bytes: unreserved characters stay, the rest become `%XY`. */
function uriEncode(text: string): string {
	let encoded = '';
	for (const byte of utf8Encoder.encode(text)) {
		const char = String.fromCharCode(byte);
		encoded += /[A-Za-z0-9\-._~]/.test(char)
			? char
			: `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
	}
	return encoded;
}

/** Like Python's `unquote`: valid `%XY` runs become UTF-8 text (bad bytes as U+FFFD), anything else stays. */
function uriDecode(text: string): string {
	return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) =>
		utf8Decoder.decode(Uint8Array.from(run.slice(1).split('%'), (hex) => parseInt(hex, 16))),
	);
}

function splitUrl(url: string): { host: string | undefined; path: string; query: string } {
	if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) {
		// Parse as the HTTP client will, so the signed path is the path that gets sent.
		const parsed = new URL(url);
		return { host: parsed.host, path: parsed.pathname, query: parsed.search.slice(1) };
	}
	const queryStart = url.indexOf('?');
	return queryStart < 0
		? { host: undefined, path: url, query: '' }
		: { host: undefined, path: url.slice(0, queryStart), query: url.slice(queryStart + 1) };
}

/** The path decoded once, each segment encoded, with the trailing `/` the algorithm requires. */
export function canonicalUri(path: string): string {
	const encoded = uriDecode(path).split('/').map(uriEncode).join('/');
	return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/**
 * `enc(name)=enc(value)` sorted by name then value. A `+` stays a literal plus (RFC 3986, not form
 * encoding), so callers must send a space in a query as `%20`.
 */
export function canonicalQueryString(query: string): string {
	return query
		.split('&')
		.filter((pair) => pair !== '')
		.map((pair) => {
			const equals = pair.indexOf('=');
			const name = equals < 0 ? pair : pair.slice(0, equals);
			const value = equals < 0 ? '' : pair.slice(equals + 1);
			return [uriDecode(name), uriDecode(value)];
		})
		.sort(([nameA, valueA], [nameB, valueB]) =>
			compare(nameA, nameB) !== 0 ? compare(nameA, nameB) : compare(valueA, valueB),
		)
		.map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`)
		.join('&');
}

function compare(a: string, b: string): number {
	if (a === b) return 0;
	return a < b ? -1 : 1;
}

/** Header values by lower-case name; several names differing only in case would make the signature ambiguous. */
export function lowerCaseHeaders(headers: HeaderValues): Map<string, string> {
	const byName = new Map<string, string>();
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		const lowerName = name.toLowerCase();
		if (byName.has(lowerName)) throw new Error(`Header ${name} is given more than once`);
		byName.set(lowerName, typeof value === 'string' ? value : value.join(', '));
	}
	return byName;
}

function sha256Hex(data: string | Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}

/**
 * The canonical request over the given signed headers (lower-case names, in the order given).
 * @throws Error when a signed header is not in `request.headers`.
 */
export function canonicalRequest(
	request: CanonicalRequestInput,
	signedHeaders: readonly string[],
): string {
	const headers = lowerCaseHeaders(request.headers);
	const { path, query } = splitUrl(request.url);
	const headerLines = signedHeaders.map((name) => {
		const value = headers.get(name);
		if (value === undefined) throw new Error(`Signed header ${name} is not in the request`);
		return `${name}:${value.trim()}\n`;
	});
	return [
		request.method.toUpperCase(),
		canonicalUri(path),
		canonicalQueryString(query),
		headerLines.join(''),
		signedHeaders.join(';'),
		headers.get('x-sdk-content-sha256') ?? sha256Hex(request.body),
	].join('\n');
}

export function stringToSign(sdkDate: string, canonical: string): string {
	return `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}

export function signature(secretKey: string, sdkDate: string, canonical: string): string {
	return createHmac('sha256', secretKey).update(stringToSign(sdkDate, canonical)).digest('hex');
}

/**
 * The headers to add to `request` so the gateway accepts it: X-Sdk-Date (from `now`; sign each attempt afresh),
 * Host when not given, X-Project-Id and X-Security-Token when set, and Authorization. Every header passed in is
 * signed, as are the added ones.
 * @throws Error when the url has no host, the key is empty, or `request.headers` already sets a header the
 * signer owns (Authorization, X-Sdk-Date, X-Security-Token, X-Project-Id).
 */
export function signRequest(
	request: SignableRequest,
	key: SigningKey,
	now: Date,
): Record<string, string> {
	if (key.accessKey === '' || key.secretKey === '')
		throw new Error('The AK and SK must not be empty');
	const given = lowerCaseHeaders(request.headers);
	const owned = SIGNER_OWNED.find((name) => given.has(name));
	if (owned !== undefined) throw new Error(`Header ${owned} is set by the signer; do not pass it`);
	const { host } = splitUrl(request.url);
	if (!host)
		throw new Error(`Cannot sign ${request.url}: an absolute URL is needed for the Host header`);

	const added: Record<string, string> = { 'X-Sdk-Date': formatSdkDate(now) };
	if (!given.has('host')) added.Host = host;
	if (key.projectId !== undefined) added['X-Project-Id'] = key.projectId;
	if (key.securityToken !== undefined) added['X-Security-Token'] = key.securityToken;

	const headers = { ...request.headers, ...added };
	const signedHeaders = Object.keys(headers)
		.map((name) => name.toLowerCase())
		.sort();
	const canonical = canonicalRequest({ ...request, headers }, signedHeaders);
	const signed = signature(key.secretKey, added['X-Sdk-Date'], canonical);
	added.Authorization = `${SIGNING_ALGORITHM} Access=${key.accessKey}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signed}`;
	return added;
}

/** The parts of an `SDK-HMAC-SHA256` Authorization value, or undefined when it is not one. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
	const parts = AUTHORIZATION.exec(header.trim());
	if (!parts) return undefined;
	const signedHeaders = parts[2].split(';');
	if (!signedHeaders.every((name) => HEADER_NAME.test(name))) return undefined;
	return { accessKey: parts[1], signedHeaders, signature: parts[3] };
}
