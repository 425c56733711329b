import { createHmac } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { SignInSettings } from './iamToken';

/**
 * Binds a stored IAM token to the sign-in details it was issued for. n8n keeps the token when a user edits the
 * credential, and its Test button (n8n 2.x) does not sign in again while a token is stored, so without the
 * binding an edited password, user or project would go untested and the old token would stay in use.
 */
export const TOKEN_BINDING_FIELD = 'iamTokenFor';

/** Keyed by the token itself: the stored value reveals nothing about the details without the token. */
export function tokenBinding(token: string, signIn: SignInSettings): string {
	const details = [
		signIn.iamBaseUrl,
		signIn.domainName,
		signIn.userName,
		signIn.password,
		signIn.projectId,
	];
	return createHmac('sha256', token).update(JSON.stringify(details)).digest('hex');
}

/** Whether the stored token was issued for exactly the credential's current sign-in details. */
export function isTokenCurrent(
	credentials: ICredentialDataDecryptedObject,
	signIn: SignInSettings,
): boolean {
	const token = credentials.iamToken;
	const binding = credentials[TOKEN_BINDING_FIELD];
	return typeof token === 'string' && token !== '' && binding === tokenBinding(token, signIn);
}
