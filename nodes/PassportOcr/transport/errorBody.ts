import { isRecord } from '../contract/passportApi';

/**
 * Reads an error answer in any of the shapes Huawei Cloud services use: `{error_code, error_msg}` (OCR, API
 * gateway), `{errorCode, errorMsg}`, `{code, message}`, or one of those nested one level down, as Keystone-style
 * IAM answers are (`{error: {code, title, message}}`). The SDKs accept the same shapes.
 */
export interface ErrorBody {
	code?: string;
	message?: string;
	requestId?: string;
}

const CODE_KEYS = ['error_code', 'errorCode', 'code'];
const MESSAGE_KEYS = ['error_msg', 'errorMsg', 'message', 'title'];

function firstText(record: Record<string, unknown>, keys: string[]): string | undefined {
	for (const key of keys) {
		const value = record[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
		if (typeof value === 'number') return String(value);
	}
	return undefined;
}

/** Parses a body that arrived as text when it is JSON; anything else stays text. */
export function parseBody(body: unknown): unknown {
	if (typeof body !== 'string' && !(body instanceof Uint8Array)) return body;
	const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

export function readErrorBody(body: unknown): ErrorBody {
	const parsed = parseBody(body);
	if (!isRecord(parsed)) return {};
	const requestId = firstText(parsed, ['request_id', 'requestId']);
	const code = firstText(parsed, CODE_KEYS);
	const message = firstText(parsed, MESSAGE_KEYS);
	if (code !== undefined && message !== undefined) return { code, message, requestId };
	for (const value of Object.values(parsed)) {
		if (!isRecord(value)) continue;
		const nested = { code: firstText(value, CODE_KEYS), message: firstText(value, MESSAGE_KEYS) };
		if (nested.code !== undefined || nested.message !== undefined) return { ...nested, requestId };
	}
	return { code, message, requestId };
}

/**
 * The gateway echoes its canonical request on a signature mismatch, and that holds every signed header,
 * X-Security-Token included: the echo never goes into a message, an error item or a log.
 */
export function withoutCanonicalRequest(serviceMessage: string): string {
	return serviceMessage.replace(/canonicalRequest:[\s\S]*$/, 'canonicalRequest: (left out)');
}
