/** A minimal client for the emulator tests: real HTTP through Node's global `fetch`. */
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
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
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
