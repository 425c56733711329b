/**
 * Base64 text as users paste or map it: with a `data:image/...;base64,` prefix (which the service rejects with
 * AIS.0102), line breaks from email bodies, or the URL-safe alphabet.
 */
export type Base64Reading =
	| { ok: true; bytes: Buffer }
	| { ok: false; reason: 'empty' | 'not-base64' };

const DATA_URL_PREFIX = /^\s*data:[^,]*;base64,/i;
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeBase64Image(text: string): Base64Reading {
	const compact = text
		.replace(DATA_URL_PREFIX, '')
		.replace(/\s+/g, '')
		.replace(/-/g, '+')
		.replace(/_/g, '/');
	if (compact === '') return { ok: false, reason: 'empty' };
	if (!BASE64_BODY.test(compact) || compact.length % 4 === 1)
		return { ok: false, reason: 'not-base64' };
	return { ok: true, bytes: Buffer.from(compact, 'base64') };
}
