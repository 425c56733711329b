import { type ErrorBody, parseBody, readErrorBody, withoutCanonicalRequest } from './errorBody';

/**
 * An answer as transport hands it on, read once: its text (through the credential's `Redactor`), the body
 * parsed, the error it carries, and the headers the policy needs. The policy judges these; it reads nothing
 * itself.
 */
export interface Answer {
	kind: 'answer';
	status: number;
	headers: Record<string, unknown>;
	text: string;
	/** The text parsed as JSON, or the text itself when it is not JSON. */
	body: unknown;
	/** The error code and message in any of Huawei Cloud's shapes; the message never holds a canonical request. */
	error: ErrorBody;
	/** The `X-Request-Id` header, which is where OCR errors carry their request ID. */
	requestId?: string;
	/** The `Retry-After` header in seconds, when it is a number. */
	retryAfterSeconds?: number;
}

/** Response header by name, whatever case the helper delivered it in. */
export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		const first: unknown = Array.isArray(value) ? value[0] : value;
		const text = typeof first === 'number' ? String(first) : first;
		return typeof text === 'string' && text !== '' ? text : undefined;
	}
	return undefined;
}

function retryAfterSeconds(headers: Record<string, unknown>): number | undefined {
	const value = Number(headerValue(headers, 'retry-after'));
	return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Reads an answer's redacted text once, for every judge that looks at it. */
export function readAnswer(status: number, headers: Record<string, unknown>, text: string): Answer {
	const body = parseBody(text);
	const { message, ...error } = readErrorBody(body);
	return {
		kind: 'answer',
		status,
		headers,
		text,
		body,
		error: message === undefined ? error : { ...error, message: withoutCanonicalRequest(message) },
		requestId: headerValue(headers, 'x-request-id'),
		retryAfterSeconds: retryAfterSeconds(headers),
	};
}
