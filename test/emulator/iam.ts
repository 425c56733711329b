/**
 * `POST /v3/auth/tokens`, the password method of KeystoneCreateUserTokenByPassword (reference §4.1).
 * The reference leaves IAM's error statuses UNVERIFIED. This emulator's choices: a body that is not the
 * documented shape gets 400; a wrong user, password or domain gets 401 with the Keystone-style body of the
 * docs' FAQ wording; a project (or domain) scope the account does not have gets 400.
 */
import { dig, isObject, nonEmptyString, parseJsonObject } from './json';
import { iamErrorReply, jsonReply, type Reply } from './replies';
import { domainOf, type IssuedToken, type TokenStore, userOf } from './tokens';
import type { EmulatorAccount, EmulatorProject } from './types';

interface ScopeRef {
	id?: string;
	name?: string;
}

interface LoginRequest {
	user: string;
	password: string;
	domain: string;
	scope: { project: ScopeRef } | { domain: ScopeRef };
}

export interface LoginContext {
	accounts: readonly EmulatorAccount[];
	tokens: TokenStore;
	tokenTtlMs: number;
	baseUrl: string;
}

export interface LoginOutcome {
	reply: Reply;
	/** The scoped project's ID, or the reference as sent when it matched nothing. */
	project?: string;
	detail?: string;
}

type Parsed = { ok: true; login: LoginRequest } | { ok: false; detail: string };

function scopeRef(value: unknown): ScopeRef | undefined {
	if (!isObject(value)) return undefined;
	const ref = { id: nonEmptyString(value.id), name: nonEmptyString(value.name) };
	return ref.id || ref.name ? ref : undefined;
}

function parseScope(value: unknown): LoginRequest['scope'] | undefined {
	const project = scopeRef(dig(value, 'project'));
	const domain = scopeRef(dig(value, 'domain'));
	if (project && !domain) return { project };
	if (domain && !project) return { domain };
	return undefined;
}

function parseLoginRequest(bytes: Buffer): Parsed {
	const auth = dig(parseJsonObject(bytes), 'auth');
	if (!isObject(auth)) return { ok: false, detail: 'the body has no "auth" object' };
	const methods = dig(auth, 'identity', 'methods');
	if (!Array.isArray(methods) || methods.length !== 1 || methods[0] !== 'password') {
		return { ok: false, detail: 'identity.methods must be ["password"]' };
	}
	const user = dig(auth, 'identity', 'password', 'user');
	const name = nonEmptyString(dig(user, 'name'));
	const password = nonEmptyString(dig(user, 'password'));
	const domain = nonEmptyString(dig(user, 'domain', 'name'));
	if (!name || !password || !domain) {
		return { ok: false, detail: 'password.user needs name, password and domain.name' };
	}
	const scope = parseScope(auth.scope);
	if (!scope) return { ok: false, detail: 'scope needs project {id|name} or domain {id|name}' };
	return { ok: true, login: { user: name, password, domain, scope } };
}

function findAccount(accounts: readonly EmulatorAccount[], login: LoginRequest) {
	return accounts.find(
		(account) =>
			account.domain === login.domain &&
			account.user === login.user &&
			account.password === login.password,
	);
}

/** The project a project-scope names; the project name in IAM is the region ID. */
function findProject(account: EmulatorAccount, ref: ScopeRef): EmulatorProject | undefined {
	return account.projects.find((project) =>
		ref.id ? project.id === ref.id : project.region === ref.name,
	);
}

const microsecondTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

function catalog(baseUrl: string, project: EmulatorProject) {
	const endpoint = (type: string, url: string) => ({
		type,
		name: type,
		endpoints: [{ interface: 'public', region: project.region, region_id: project.region, url }],
	});
	return [endpoint('iam', `${baseUrl}/v3`), endpoint('ocr', `${baseUrl}/v2/${project.id}`)];
}

function tokenBody(token: IssuedToken, withCatalog: boolean, baseUrl: string) {
	const scope = token.project
		? { project: { id: token.project.id, name: token.project.region, domain: token.domain } }
		: { domain: token.domain };
	return {
		token: {
			expires_at: microsecondTime(token.expiresAt),
			issued_at: microsecondTime(token.issuedAt),
			methods: ['password'],
			...scope,
			roles: [{ id: '0', name: 'op_service' }],
			user: { ...token.user, domain: token.domain, password_expires_at: '' },
			...(withCatalog && token.project ? { catalog: catalog(baseUrl, token.project) } : {}),
		},
	};
}

function scopeError(ref: ScopeRef, kind: string, domain: string): LoginOutcome {
	const named = ref.id ? `id ${ref.id}` : `name ${ref.name}`;
	return {
		reply: iamErrorReply(400, `The ${kind} with ${named} does not exist in domain ${domain}.`),
		project: ref.id ?? ref.name,
	};
}

export function handleLogin(
	context: LoginContext,
	bytes: Buffer,
	query: URLSearchParams,
	now: number,
): LoginOutcome {
	const parsed = parseLoginRequest(bytes);
	if (!parsed.ok) {
		return { reply: iamErrorReply(400, 'The request body is invalid.'), detail: parsed.detail };
	}
	const { login } = parsed;
	const account = findAccount(context.accounts, login);
	if (!account) return { reply: iamErrorReply(401, 'The username or password is wrong.') };
	const domain = domainOf(account);
	let project: EmulatorProject | undefined;
	if ('project' in login.scope) {
		project = findProject(account, login.scope.project);
		if (!project) return scopeError(login.scope.project, 'project', account.domain);
	} else {
		const ref = login.scope.domain;
		if (ref.id ? ref.id !== domain.id : ref.name !== domain.name) {
			return scopeError(ref, 'domain', account.domain);
		}
	}
	const grant = { user: userOf(account), domain, project, issuedAt: now };
	const token = context.tokens.issue(grant, context.tokenTtlMs);
	const withCatalog = !query.get('nocatalog');
	return {
		reply: jsonReply(201, tokenBody(token, withCatalog, context.baseUrl), {
			'X-Subject-Token': token.value,
		}),
		project: project?.id,
	};
}
