import { signInCode, type SignInProblem } from '../contract/itemFailure';
import { judgeSignInRefusal, unansweredSignIn } from '../policy/signInVerdicts';
import { headerValue } from '../transport/answer';
import { exchange, MAX_ANSWER_BYTES } from '../transport/exchange';
import type { RequestSender } from '../transport/httpCall';
import type { Redactor } from '../transport/redaction';

/**
 * IAM password sign-in (KeystoneCreateUserTokenByPassword): a project-scoped token, as OCR requires. The token
 * comes back in the `X-Subject-Token` header and lives 24 hours.
 */
export interface SignInSettings {
	iamBaseUrl: string;
	region: string;
	projectId: string;
	domainName: string;
	userName: string;
	password: string;
}

export interface IamToken {
	token: string;
	expiresAt?: string;
}

/** A sign-in failure whose message is safe to show: it never carries a password, secret key or token. */
export class IamSignInError extends Error {
	/** `IAM.<PROBLEM>`: n8n 1.x's NodeApiError drops the error it wraps but keeps this, as its `httpCode`. */
	readonly code: string;

	constructor(
		readonly problem: SignInProblem,
		message: string,
		readonly httpStatus?: number,
	) {
		super(message);
		this.name = 'IamSignInError';
		this.code = signInCode(problem);
	}
}

export function tokenRequestBody(settings: SignInSettings): object {
	return {
		auth: {
			identity: {
				methods: ['password'],
				password: {
					user: {
						name: settings.userName,
						password: settings.password,
						domain: { name: settings.domainName },
					},
				},
			},
			// Scoped by ID, not by region name: the token then fits the exact project in the OCR path.
			scope: { project: { id: settings.projectId } },
		},
	};
}

/** Bounds the sign-in, which n8n runs before a request and which the node's Timeout cannot reach. */
export const SIGN_IN_TIMEOUT_MS = 30_000;

/**
 * Signs in and returns the token. The answer is read within `SIGN_IN_TIMEOUT_MS` and `MAX_ANSWER_BYTES`, and
 * whatever IAM says is redacted before it goes into a message: a refusal may repeat the request, password and all.
 * @throws IamSignInError for every failure, with a message that names what to fix.
 */
export async function requestIamToken(
	send: RequestSender,
	settings: SignInSettings,
	redactor: Redactor,
	runSignal?: AbortSignal,
): Promise<IamToken> {
	const url = `${settings.iamBaseUrl}/v3/auth/tokens?nocatalog=true`;
	const answer = await exchange(
		send({
			method: 'POST',
			url,
			headers: { 'Content-Type': 'application/json;charset=UTF-8' },
			body: JSON.stringify(tokenRequestBody(settings)),
			timeout: SIGN_IN_TIMEOUT_MS,
		}),
		{ timeoutMs: SIGN_IN_TIMEOUT_MS, maxAnswerBytes: MAX_ANSWER_BYTES },
		redactor,
		runSignal,
	);
	if (answer.kind !== 'answer') {
		const failure = unansweredSignIn(answer, `the IAM endpoint ${settings.iamBaseUrl}`);
		throw new IamSignInError(
			failure?.problem ?? 'unexpected',
			failure?.message ?? 'The sign-in failed',
		);
	}
	if (answer.status !== 201 && answer.status !== 200) {
		const refusal = judgeSignInRefusal(answer, settings);
		throw new IamSignInError(refusal.problem, refusal.message, refusal.httpStatus);
	}
	const token = headerValue(answer.headers, 'x-subject-token');
	if (!token) {
		throw new IamSignInError(
			'unexpected',
			`${settings.iamBaseUrl} accepted the sign-in but sent no token (no X-Subject-Token header): check the credential's IAM endpoint`,
			answer.status,
		);
	}
	redactor.add(token);
	const expiresAt = (answer.body as { token?: { expires_at?: unknown } } | undefined)?.token
		?.expires_at;
	return { token, expiresAt: typeof expiresAt === 'string' ? expiresAt : undefined };
}
