import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { resolveServiceProfile, type ServiceProfile } from './endpoints';
import type { SignInSettings } from './iamToken';

/** The credential type's name, shared by the credential class, the node and the tests. */
export const CREDENTIAL_TYPE = 'huaweiCloudOcrApi';

/** The hidden, expirable field where n8n keeps the IAM token between requests and executions. */
export const TOKEN_FIELD = 'iamToken';

export interface OcrCredential {
	profile: ServiceProfile;
	projectId: string;
	signIn: SignInSettings;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * Reads the stored credential into endpoints and sign-in settings.
 * @throws Error naming the missing field, as the editor labels it.
 */
export function readOcrCredential(data: ICredentialDataDecryptedObject): OcrCredential {
	const profile = resolveServiceProfile(data);
	const projectId = text(data.projectId);
	if (!projectId) throw new Error('The credential has no Project ID');
	return {
		profile,
		projectId,
		signIn: {
			iamBaseUrl: profile.iamBaseUrl,
			region: profile.region,
			projectId,
			domainName: text(data.domainName),
			userName: text(data.userName),
			// Passwords may legitimately start or end with spaces.
			password: typeof data.password === 'string' ? data.password : '',
		},
	};
}
