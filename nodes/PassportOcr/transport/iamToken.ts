import { headerValue, type HttpCall, type PlainResponse } from './httpCall';
import { readErrorBody } from './errorBody';

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

/**
 * Which part of the sign-in (or, for access keys, of the key check) a failure points at, so the credential test
 * can say what to fix. `clock`: the signature time is too far from the service's; `service`: Passport is not
 * enabled or not permitted for the project. `unreachable` failures may pass when tried again.
 */
export type SignInProblem =
	| 'credentials'
	| 'project'
	| 'clock'
	| 'service'
	| 'unreachable'
	| 'unexpected';

/** A sign-in failure whose message is safe to show: it never carries a password, secret key or token. */
export class IamSignInError extends Error {
	constructor(
		readonly problem: SignInProblem,
		message: string,
		readonly httpStatus?: number,
		readonly serviceMessage?: string,
	) {
		super(message);
		this.name = 'IamSignInError';
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

/**
 * Network codes in words: n8n rewrites any error message that contains a code such as ECONNREFUSED into its own
 * generic sentence, which would hide the endpoint and the fix.
 */
const NETWORK_REASONS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name is unknown',
	EAI_AGAIN: 'the host name could not be looked up',
	ETIMEDOUT: 'it did not answer in time',
	ECONNABORTED: 'it did not answer in time',
	ECONNRESET: 'the connection was closed',
};

export function networkReason(code: unknown): string {
	const reason = typeof code === 'string' ? NETWORK_REASONS[code] : undefined;
	return reason ? ` (${reason})` : '';
}

function failureFor(status: number, settings: SignInSettings, serviceMessage: string | undefined) {
	const said = serviceMessage ? ` (IAM said: ${serviceMessage})` : '';
	if (status === 401 || status === 403) {
		return new IamSignInError(
			'credentials',
			`Sign-in failed: check the IAM user name, the password and the account name${said}`,
			status,
			serviceMessage,
		);
	}
	if ((status === 400 || status === 404) && /project/i.test(serviceMessage ?? '')) {
		return new IamSignInError(
			'project',
			`The account has no project with ID ${settings.projectId}: copy the project ID of region ${settings.region} from My Credentials > API Credentials${said}`,
			status,
			serviceMessage,
		);
	}
	return new IamSignInError(
		'unexpected',
		`IAM refused the sign-in with HTTP ${status}${said}`,
		status,
		serviceMessage,
	);
}

/**
 * Signs in and returns the token.
 * @throws IamSignInError for every failure, with a message that names what to fix.
 */
export async function requestIamToken(http: HttpCall, settings: SignInSettings): Promise<IamToken> {
	let response: PlainResponse | undefined;
	let networkCode: unknown;
	try {
		response = await http({
			method: 'POST',
			url: `${settings.iamBaseUrl}/v3/auth/tokens?nocatalog=true`,
			headers: { 'Content-Type': 'application/json;charset=UTF-8' },
			body: tokenRequestBody(settings),
		});
	} catch (error) {
		// The helper's own error holds the request, password included: keep only its network code.
		networkCode = (error as { code?: unknown }).code;
	}
	if (response === undefined) {
		throw new IamSignInError(
			'unreachable',
			`Could not reach the IAM endpoint ${settings.iamBaseUrl}${networkReason(networkCode)}: check the credential's cloud and region`,
		);
	}
	if (response.statusCode !== 201 && response.statusCode !== 200) {
		throw failureFor(response.statusCode, settings, readErrorBody(response.body).message);
	}
	const token = headerValue(response.headers, 'x-subject-token');
	if (!token) {
		throw new IamSignInError(
			'unexpected',
			'IAM accepted the sign-in but sent no token (no X-Subject-Token header)',
			response.statusCode,
		);
	}
	const expiresAt = (response.body as { token?: { expires_at?: unknown } } | undefined)?.token
		?.expires_at;
	return { token, expiresAt: typeof expiresAt === 'string' ? expiresAt : undefined };
}
