/** A minimal client for the emulator tests: real HTTP through Node's global `fetch`. */
import { signRequest, type SigningKey } from '../../../nodes/PassportOcr/credential/requestSigning';
import { DEFAULT_ACCOUNT, type Emulator, type EmulatorAccount } from '../../emulator';

export interface HttpAnswer {
	status: number;
	headers: Headers;
	text: string;
	/** The body parsed as JSON, or `undefined` when it is not JSON. */
	json: unknown;
}

export async function post(
	url: string,
	body: unknown,
	headers: Record<string, string> = {},
): Promise<HttpAnswer> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json;charset=UTF-8', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, text, json: parseJson(text) };
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

type Scope = { project: { id: string } | { name: string } } | { domain: { name: string } };

export function loginBody(account: EmulatorAccount = DEFAULT_ACCOUNT, scope?: Scope) {
	return {
		auth: {
			identity: {
				methods: ['password'],
				password: {
					user: {
						name: account.user,
						password: account.password,
						domain: { name: account.domain },
					},
				},
			},
			scope: scope ?? { project: { name: account.projects[0].region } },
		},
	};
}

/** Logs in and returns the token; fails the test when IAM refuses. */
export async function login(
	emulator: Emulator,
	account: EmulatorAccount = emulator.accounts[0],
	scope?: Scope,
): Promise<string> {
	const answer = await post(`${emulator.baseUrl}/v3/auth/tokens`, loginBody(account, scope));
	const token = answer.headers.get('x-subject-token');
	if (answer.status !== 201 || !token)
		throw new Error(`login failed: ${answer.status} ${answer.text}`);
	return token;
}

function passportUrl(emulator: Emulator, projectId = emulator.accounts[0].projects[0].id) {
	return `${emulator.baseUrl}/v2/${projectId}/ocr/passport`;
}

export function recognize(
	emulator: Emulator,
	body: unknown,
	token: string | undefined,
	projectId?: string,
): Promise<HttpAnswer> {
	return post(passportUrl(emulator, projectId), body, token ? { 'X-Auth-Token': token } : {});
}

export interface SignedPostOptions {
	/** Sent as the body instead of the signed one, to tamper with it after signing. */
	sentBody?: string;
	/** Headers added after signing: not in SignedHeaders. */
	unsignedHeaders?: Record<string, string>;
	/** Headers signed along with the signer's own; without it, only Content-Type. */
	headers?: Record<string, string>;
	projectId?: string;
	now?: Date;
}

/** Posts to the passport API signed with `key`, as an SDK does; fetch sets the Host it signed. */
export async function signedRecognize(
	emulator: Emulator,
	body: string,
	key: SigningKey,
	options: SignedPostOptions = {},
): Promise<HttpAnswer> {
	const url = passportUrl(emulator, options.projectId);
	const headers = options.headers ?? { 'Content-Type': 'application/json;charset=UTF-8' };
	const signature = signRequest(
		{ method: 'POST', url, headers, body },
		key,
		options.now ?? new Date(),
	);
	// fetch sends the Host it was signed with (host:port) and may not be given one.
	delete signature.Host;
	const sent = { ...headers, ...signature, ...options.unsignedHeaders };
	const response = await fetch(url, {
		method: 'POST',
		headers: sent,
		body: options.sentBody ?? body,
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, text, json: parseJson(text) };
}
