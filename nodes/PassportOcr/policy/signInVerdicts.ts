import type { SignInProblem } from '../contract/itemFailure';
import { normaliseErrorCode } from '../contract/serviceErrors';
import type { Answer } from '../transport/answer';
import type { Exchange } from '../transport/exchange';
import {
	judgePassportExchange,
	seconds,
	UNREACHABLE,
	type FailureContext,
} from './attemptVerdicts';

/**
 * Verdicts on signing in: an IAM sign-in or an access-key check that got no usable answer, IAM's refusal of a
 * password sign-in, and the credential Test's probe of the Passport API. Each says which part of the credential
 * to fix; the credential room acts on them.
 */
/** A sign-in failure: which part to fix and a message that says how. */
export interface SignInFailure {
	problem: SignInProblem;
	message: string;
	httpStatus?: number;
}

export interface SignInContext {
	iamBaseUrl: string;
	region: string;
	projectId: string;
}

const NETWORK_REASONS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name is unknown',
	EAI_AGAIN: 'the host name could not be looked up',
	ECONNRESET: 'the connection was closed',
};

/**
 * Network codes in words: n8n rewrites any error message that contains a code such as ECONNREFUSED into its own
 * generic sentence, which would hide the endpoint and the fix.
 */
export function networkReason(code: string): string {
	const reason = NETWORK_REASONS[code];
	return reason ? ` (${reason})` : '';
}

/**
 * A failed exchange that is not an answer, for a sign-in or a key check; `endpoint` names it in a sentence
 * ("the IAM endpoint https://...").
 */
export function unansweredSignIn(exchange: Exchange, endpoint: string): SignInFailure | undefined {
	switch (exchange.kind) {
		case 'answer':
			return undefined;
		case 'timeout':
			return {
				problem: 'busy',
				message: `No answer from ${endpoint} within ${seconds(exchange.timeoutMs)} s: try again, and check the credential's cloud and region`,
			};
		case 'oversize':
			return {
				problem: 'unexpected',
				message: `An answer larger than ${exchange.limitBytes / (1024 * 1024)} MB came from ${endpoint}: it is not a Huawei Cloud endpoint, check the credential's endpoints`,
				httpStatus: exchange.status,
			};
		case 'tls':
			return {
				problem: 'unexpected',
				message: `The certificate of ${endpoint} was not accepted (${exchange.code}): check the endpoint's host name, or have n8n trust your proxy's certificate (NODE_EXTRA_CA_CERTS)`,
			};
		case 'network':
			return {
				problem: UNREACHABLE.has(exchange.code) ? 'unreachable' : 'busy',
				message: `Could not reach ${endpoint}${networkReason(exchange.code)}: check the credential's cloud and region`,
			};
		case 'cancelled':
			return { problem: 'busy', message: `The sign-in at ${endpoint} was stopped` };
		case 'sign-in':
			return {
				problem: exchange.problem,
				message: exchange.message,
				httpStatus: exchange.httpStatus,
			};
		case 'not-sent':
			return {
				problem: 'unexpected',
				message: `The request to ${endpoint} could not be made: ${exchange.reason}`,
			};
	}
}

/**
 * IAM's words for a project it does not know ("Could not find project", "project ... not exist"); a bare mention
 * of "project" may be an echo of the sign-in request, which names the project it asks for.
 */
const NO_SUCH_PROJECT =
	/\b(not|no|invalid|unknown|find)\b[^.{}]{0,80}\bproject\b|\bproject\b[^.{}]{0,80}\b(not|invalid|exist|found)\b/i;

/** What IAM's refusal of a password sign-in means; the answer's text is already redacted. */
export function judgeSignInRefusal(answer: Answer, context: SignInContext): SignInFailure {
	const status = answer.status;
	const said = answer.error.message;
	const echo = said ? ` (IAM said: ${said.slice(0, 300)})` : '';
	if (status === 401 || status === 403) {
		return {
			problem: 'credentials',
			message: `Sign-in failed: check the IAM user name, the password and the account name${echo}`,
			httpStatus: status,
		};
	}
	if ((status === 400 || status === 404) && NO_SUCH_PROJECT.test(said ?? '')) {
		return {
			problem: 'project',
			message: `The account has no project with ID ${context.projectId}: copy the project ID of region ${context.region} from My Credentials > API Credentials${echo}`,
			httpStatus: status,
		};
	}
	if (status === 429 || status >= 500) {
		return {
			problem: 'busy',
			message: `IAM at ${context.iamBaseUrl} is busy or failing (HTTP ${status}): try again in a minute${echo}`,
			httpStatus: status,
		};
	}
	const html = /^\s*</.test(answer.text);
	return {
		problem: 'unexpected',
		message: html
			? `${context.iamBaseUrl} answered the sign-in with a web page (HTTP ${status}), not as IAM does: check the credential's cloud, region or IAM endpoint`
			: `IAM refused the sign-in with HTTP ${status}${echo}: check the credential's IAM endpoint`,
		httpStatus: status,
	};
}

/**
 * Answers of the Passport API that prove the sign-in or signature, the project and the subscription: the service
 * checks all of them before it reads the body, and only then calls an empty request invalid (AIS.0101, or
 * ModelArts.4105 when the empty body is dropped). Such an answer is never billed.
 */
export const PROVES_ACCESS: ReadonlySet<string> = new Set(['AIS.0101', 'ModelArts.4105']);

/** The Test button's verdict on the Passport API's answer to a request with no image. */
export function judgeAccessProbe(
	exchange: Exchange,
	context: FailureContext,
): { ok: true } | { ok: false; message: string } {
	if (exchange.kind === 'answer') {
		const { code } = exchange.error;
		if (code !== undefined && PROVES_ACCESS.has(normaliseErrorCode(code))) return { ok: true };
	}
	const verdict = judgePassportExchange(exchange, context);
	if (verdict.ok) {
		return {
			ok: false,
			message: `The OCR endpoint ${context.ocrBaseUrl} answered a request without an image with a result, which the Passport API never does: check the endpoint`,
		};
	}
	const { failure } = verdict;
	const status = failure.httpStatus === undefined ? '' : ` (HTTP ${failure.httpStatus})`;
	return { ok: false, message: `${failure.message}${status}` };
}
