/**
 * What stands in front of the passport service: authentication (an IAM token, or an AK/SK signature, see
 * signatureCheck.ts), the subscription check and throttling, in that order. UNVERIFIED choices: a token of
 * another project in the same region gets APIGW.0301 (the gateway cannot match it to the URL), while a token of
 * another region gets APIG.0307, as reference §8.1 describes.
 */
import type { ReceivedRequest } from './signatureVerifier';
import type { SlidingWindowLimiter } from './rateLimit';
import { errorReply, type Reply } from './replies';
import { authenticateSignedCall, isSignedCall } from './signatureCheck';
import { isExpired, type TokenStore } from './tokens';
import type { EmulatorAccount, EmulatorProject } from './types';

export interface GatewayContext {
	tokens: TokenStore;
	accounts: readonly EmulatorAccount[];
	limiter: SlidingWindowLimiter;
	region: string;
	rateLimitPerMinute: number;
	retryAfter: boolean;
}

export interface OcrCall {
	token: string | undefined;
	/** The request as received, for an AK/SK signature. */
	request: ReceivedRequest;
	projectId: string;
	requestId: string;
	/** The server's clock, ms since the epoch. */
	now: number;
}

/** Who a call authenticated as, and the project it may use. */
export interface Caller {
	userId: string;
	project: EmulatorProject;
}

export type Authentication = { ok: true; caller: Caller } | { ok: false; reply: Reply };

function authenticateToken(
	context: GatewayContext,
	call: OcrCall & { token: string },
): Authentication {
	const { requestId } = call;
	const refuse = (reply: Reply): Authentication => ({ ok: false, reply });
	const token = context.tokens.find(call.token);
	if (!token) return refuse(errorReply('APIGW.0301', requestId));
	if (isExpired(token, call.now)) return refuse(errorReply('APIG.0307', requestId));
	if (!token.project) return refuse(errorReply('ModelArts.0212', requestId));
	if (token.project.region !== context.region) return refuse(errorReply('APIG.0307', requestId));
	if (token.project.id !== call.projectId) {
		const message = 'Incorrect IAM authentication information: verify project fail';
		return refuse(errorReply('APIGW.0301', requestId, { message }));
	}
	return { ok: true, caller: { userId: token.user.id, project: token.project } };
}

function authenticate(context: GatewayContext, call: OcrCall): Authentication {
	const { token } = call;
	if (token) return authenticateToken(context, { ...call, token });
	const authorization = call.request.headers.authorization;
	if (typeof authorization === 'string' && isSignedCall(authorization)) {
		return authenticateSignedCall(context, call);
	}
	return { ok: false, reply: errorReply('ModelArts.4101', call.requestId) };
}

function throttle(context: GatewayContext, call: OcrCall, caller: Caller): Authentication {
	const limit = context.rateLimitPerMinute;
	const admission = context.limiter.admit(caller.userId, limit, call.now);
	if (admission.ok) return { ok: true, caller };
	const message = `The throttling threshold has been reached: policy user over ratelimit,limit:${limit},time:1 minute`;
	// Huawei documents no Retry-After for APIG.0308 (reference 2.1c); the `retryAfter` knob adds one.
	const headers: Record<string, string> = context.retryAfter
		? { 'Retry-After': String(admission.retryAfterSeconds) }
		: {};
	return { ok: false, reply: errorReply('APIGW.0308', call.requestId, { message, headers }) };
}

export function admitOcrCall(context: GatewayContext, call: OcrCall): Authentication {
	const authenticated = authenticate(context, call);
	if (!authenticated.ok) return authenticated;
	const { caller } = authenticated;
	if (!caller.project.passportEnabled) {
		return { ok: false, reply: errorReply('ModelArts.4204', call.requestId) };
	}
	return throttle(context, call, caller);
}
