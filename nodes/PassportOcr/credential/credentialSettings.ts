import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { Redactor } from '../transport/redaction';
import { resolveServiceProfile, type ServiceProfile } from './endpoints';
import type { SignInSettings } from './iamToken';
import type { SigningKey } from './requestSigning';

/**
 * The hidden, expirable field n8n keeps between requests and executions: the IAM token, or for access keys a
 * marker that the key passed its check (n8n runs preAuthentication again whenever this field is empty).
 */
export const TOKEN_FIELD = 'iamToken';

/** How requests prove who sends them: an IAM password token, or an AK/SK signature. */
export type AuthenticationMethod = 'iamUser' | 'accessKey' | 'temporaryAccessKey';

export const AUTHENTICATION_METHODS: Record<AuthenticationMethod, string> = {
	iamUser: 'IAM User (Password)',
	accessKey: 'Access Key (AK/SK)',
	temporaryAccessKey: 'Temporary Access Key (AK/SK + Security Token)',
};

export type CredentialAuth =
	| { method: 'iamUser'; signIn: SignInSettings }
	| {
			method: 'accessKey' | 'temporaryAccessKey';
			/** With `projectId` set, so every signed request carries X-Project-Id. */
			key: SigningKey & { projectId: string };
	  };

export interface OcrCredential {
	profile: ServiceProfile;
	projectId: string;
	auth: CredentialAuth;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** Secrets are taken as typed: a password may start or end with spaces. */
const secret = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Credentials saved before the Authentication field existed have none, and use the IAM user. */
function authenticationMethod(value: unknown): AuthenticationMethod {
	const method = text(value);
	if (method === '' || method === 'iamUser') return 'iamUser';
	if (method === 'accessKey' || method === 'temporaryAccessKey') return method;
	throw new Error(`The credential's Authentication "${method}" is not one this node knows`);
}

function required(value: string, label: string): string {
	if (value === '') throw new Error(`The credential has no ${label}`);
	return value;
}

function readAuth(
	data: ICredentialDataDecryptedObject,
	profile: ServiceProfile,
	projectId: string,
): CredentialAuth {
	const method = authenticationMethod(data.authentication);
	if (method === 'iamUser') {
		return {
			method,
			signIn: {
				// Only password sign-in talks to IAM, so only it needs a custom IAM endpoint.
				iamBaseUrl: required(profile.iamBaseUrl, 'IAM Endpoint'),
				region: profile.region,
				projectId,
				domainName: text(data.domainName),
				userName: text(data.userName),
				password: secret(data.password),
			},
		};
	}
	// Keys and tokens never contain spaces; a space at either end is a copy-and-paste slip.
	const key = {
		accessKey: required(text(data.accessKey), 'Access Key ID'),
		secretKey: required(text(data.secretKey), 'Secret Access Key'),
		projectId,
	};
	if (method === 'accessKey') return { method, key };
	return {
		method,
		key: { ...key, securityToken: required(text(data.securityToken), 'Security Token') },
	};
}

/**
 * Reads the stored credential into endpoints and the settings of its authentication method.
 * @throws Error naming the missing field, as the editor labels it.
 */
export function readOcrCredential(data: ICredentialDataDecryptedObject): OcrCredential {
	const profile = resolveServiceProfile(data);
	const projectId = required(text(data.projectId), 'Project ID');
	return { profile, projectId, auth: readAuth(data, profile, projectId) };
}

/**
 * Everything in the stored credential that must never be shown: the password, the IAM token, the keys and the
 * security token. Every text an upstream sends is redacted with these before the node uses it; they are read
 * from `data` again each time, since n8n writes a new token into it when it signs in.
 */
export function redactorFor(data: ICredentialDataDecryptedObject): Redactor {
	const secrets = () => SECRET_FIELDS.map((field) => data[field]);
	return new Redactor(secrets(), secrets);
}

const SECRET_FIELDS = ['password', TOKEN_FIELD, 'accessKey', 'secretKey', 'securityToken'];
