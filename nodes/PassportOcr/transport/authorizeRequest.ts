import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { readOcrCredential, TOKEN_FIELD } from './credentialSettings';

const ABSOLUTE_URL = /^https?:\/\//i;

/**
 * Attaches the IAM token to a request. A relative URL (the credential test's) is completed with the OCR
 * endpoint from the endpoint table, so that no other place has to rebuild endpoints from cloud and region.
 */
export async function authorizeRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const authorized: IHttpRequestOptions = {
		...requestOptions,
		headers: { ...requestOptions.headers, 'X-Auth-Token': String(credentials[TOKEN_FIELD] ?? '') },
	};
	if (!authorized.baseURL && !ABSOLUTE_URL.test(authorized.url)) {
		authorized.baseURL = readOcrCredential(credentials).profile.ocrBaseUrl;
	}
	return authorized;
}
