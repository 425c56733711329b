/**
 * What stands in front of the passport service: the token check, the subscription check and throttling, in
 * that order. UNVERIFIED choices: a token of another project in the same region gets APIG.0301 (the gateway
 * cannot match it to the URL), while a token of another region gets APIG.0307, as reference §8.1 describes.
 */
import type { SlidingWindowLimiter } from './rateLimit';
import { errorReply, type Reply } from './replies';
import { type IssuedToken, isExpired, type TokenStore } from './tokens';

export interface GatewayContext {
	tokens: TokenStore;
	limiter: SlidingWindowLimiter;
	region: string;
	rateLimitPerMinute: number;
}

export interface OcrCall {
	token: string | undefined;
	projectId: string;
	requestId: string;
	now: number;
}

export type Admission = { ok: true; token: IssuedToken } | { ok: false; reply: Reply };

function authenticate(context: GatewayContext, call: OcrCall): Admission {
	const { requestId } = call;
	if (!call.token) return { ok: false, reply: errorReply('ModelArts.4101', requestId) };
	const token = context.tokens.find(call.token);
	if (!token) return { ok: false, reply: errorReply('APIG.0301', requestId) };
	if (isExpired(token, call.now)) return { ok: false, reply: errorReply('APIG.0307', requestId) };
	if (!token.project) return { ok: false, reply: errorReply('ModelArts.0212', requestId) };
	if (token.project.region !== context.region) {
		return { ok: false, reply: errorReply('APIG.0307', requestId) };
	}
	if (token.project.id !== call.projectId) {
		const message = 'Incorrect IAM authentication information: verify project fail';
		return { ok: false, reply: errorReply('APIG.0301', requestId, { message }) };
	}
	return { ok: true, token };
}

function throttle(context: GatewayContext, call: OcrCall, token: IssuedToken): Admission {
	const limit = context.rateLimitPerMinute;
	const admission = context.limiter.admit(token.user.id, limit, call.now);
	if (admission.ok) return { ok: true, token };
	const message = `The throttling threshold has been reached: policy user over ratelimit,limit:${limit},time:1 minute`;
	const headers = { 'Retry-After': String(admission.retryAfterSeconds) };
	return { ok: false, reply: errorReply('APIG.0308', call.requestId, { message, headers }) };
}

export function admitOcrCall(context: GatewayContext, call: OcrCall): Admission {
	const authenticated = authenticate(context, call);
	if (!authenticated.ok) return authenticated;
	const { token } = authenticated;
	if (!token.project?.passportEnabled) {
		return { ok: false, reply: errorReply('ModelArts.4204', call.requestId) };
	}
	return throttle(context, call, token);
}
