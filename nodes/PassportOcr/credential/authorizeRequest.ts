import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { readOcrCredential, TOKEN_FIELD } from './credentialSettings';
import { signRequestOptions } from './signedRequestOptions';

/**
 * The credential's `authenticate`: attaches the IAM token, or signs the request with the access key. n8n calls
 * it for every request and again for a resend, so each attempt gets its own X-Sdk-Date. A token issued for
 * other sign-in details never gets here: the node empties it before its first request (see runCredential.ts),
 * so n8n signs in first.
 */
export async function authorizeRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { auth, profile } = readOcrCredential(credentials);
	if (auth.method !== 'iamUser') {
		return signRequestOptions(requestOptions, auth.key, profile.ocrBaseUrl, new Date());
	}
	return {
		...requestOptions,
		headers: { ...requestOptions.headers, 'X-Auth-Token': String(credentials[TOKEN_FIELD] ?? '') },
	};
}
