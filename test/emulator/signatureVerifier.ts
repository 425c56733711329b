/**
 * The gateway's side of AK/SK signing, for the emulator: it recomputes the signature with the client's own
 * canonical request code, so a difference can only come from the request itself.
 */
import { timingSafeEqual } from 'node:crypto';

import {
	MAX_CLOCK_SKEW_MS,
	canonicalRequest,
	lowerCaseHeaders,
	parseAuthorization,
	parseSdkDate,
	signature,
	type CanonicalRequestInput,
} from '../../nodes/PassportOcr/credential/requestSigning';

export interface ReceivedRequest extends CanonicalRequestInput {
	body: Uint8Array;
}

export type VerifyResult =
	| { ok: true }
	| {
			ok: false;
			reason: 'missing' | 'malformed' | 'expired' | 'mismatch';
			canonicalRequest?: string;
	  };

const utf8Encoder = new TextEncoder();

/**
 * Checks a received request as the gateway does, using the SignedHeaders the request carries.
 * `missing`: no Authorization or X-Sdk-Date. `malformed`: either is unreadable, X-Sdk-Date is not signed,
 * or a signed header is absent. `expired`: X-Sdk-Date is more than `maxSkewMs` from `now`.
 * `mismatch` comes with the canonical request the verifier computed, for the error message.
 */
export function verifySignature(
	request: ReceivedRequest,
	secretKey: string,
	now: Date,
	maxSkewMs = MAX_CLOCK_SKEW_MS,
): VerifyResult {
	const headers = lowerCaseHeaders(request.headers);
	const authorization = headers.get('authorization');
	const sdkDate = headers.get('x-sdk-date');
	if (authorization === undefined || sdkDate === undefined) return { ok: false, reason: 'missing' };

	const parsed = parseAuthorization(authorization);
	const signedAt = parseSdkDate(sdkDate.trim());
	const complete = parsed?.signedHeaders.every((name) => headers.has(name)) ?? false;
	if (!parsed || !signedAt || !complete || !parsed.signedHeaders.includes('x-sdk-date')) {
		return { ok: false, reason: 'malformed' };
	}
	if (Math.abs(now.getTime() - signedAt.getTime()) > maxSkewMs)
		return { ok: false, reason: 'expired' };

	const canonical = canonicalRequest(request, parsed.signedHeaders);
	// Both are 64 lowercase hex characters (the parser insists), so the lengths match.
	const expected = utf8Encoder.encode(signature(secretKey, sdkDate.trim(), canonical));
	return timingSafeEqual(expected, utf8Encoder.encode(parsed.signature))
		? { ok: true }
		: { ok: false, reason: 'mismatch', canonicalRequest: canonical };
}
